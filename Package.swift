// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "EVQ",
    products: [
        .executable(name: "evq", targets: ["evq"]),
        .executable(name: "evq-postgres", targets: ["evq-postgres"]),
        .library(name: "EVQ", targets: ["EVQ"]),
    ],
    dependencies: [
        // The command line (`evq`, `evq test`) is described as types; the library writes help and usage errors.
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // `--engine postgres://…` (evq-postgres): PostgreSQL's wire protocol, in Swift (no libpq to link statically).
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
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
        // PostgreSQL's client for `--engine postgres://`, a process evq starts: SwiftNIO, Foundation and BoringSSL
        // under PostgresNIO would make evq four times its size and slower to start.
        .executableTarget(
            name: "evq-postgres",
            dependencies: [
                "EVQ",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "EVQTests", dependencies: ["EVQ"], exclude: ["Golden"]),
    ]
)
