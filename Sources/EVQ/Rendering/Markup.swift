/// Text from data made safe inside SVG and HTML: control sequences removed (`Sanitizer`), then the five
/// characters that markup gives meaning escaped, so a name like `<script>` is shown, never run.
enum Markup {
    static func escape(_ text: String) -> String {
        var out = ""
        for c in Sanitizer.printable(text) {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
