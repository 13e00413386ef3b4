/// The version `evq --version` prints and a report names as what built it.
public enum EVQVersion {
    public static let string = "0.1.0"
}
