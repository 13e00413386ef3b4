// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "EVQ",
    products: [
        .executable(name: "evq", targets: ["evq"]),
        .library(name: "EVQ", targets: ["EVQ"]),
    ],
    dependencies: [
        // The command line (`evq`, `evq test`) is described as types; the library writes help and usage errors.
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // The language: lexer, parser, resolver, plan, evaluator, renderers, embedded data. No I/O.
        .target(
            name: "EVQ",
            exclude: [],
            resources: [
                .embedInCode("Data/facts.csv"),
                .embedInCode("Data/entities.csv"),
                .embedInCode("Data/events.csv"),
                .embedInCode("Data/sources.csv"),
                .embedInCode("Data/rankings.csv"),
            ]
        ),
        // The system libedit, found through pkg-config.
        .systemLibrary(
            name: "CLibEdit",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        // Non-variadic wrappers around libedit's el_set/history, the only C in the project.
        .target(name: "CEditLine", dependencies: ["CLibEdit"]),
        // The command line, the REPL and the script runner.
        .executableTarget(
            name: "evq",
            dependencies: [
                "EVQ", "CEditLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "EVQTests", dependencies: ["EVQ"], exclude: ["Golden"]),
    ]
)
