// swift-tools-version: 6.1
// sendlint: lint outbound bulk-mail drafts against YAML policies before they are sent.
import PackageDescription

let package = Package(
  name: "sendlint",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "sendlint", targets: ["sendlint"]),
    .library(name: "SendlintEngine", targets: ["SendlintEngine"]),
    // The front door for Swift callers: `import Sendlint` lints drafts held in memory.
    .library(name: "Sendlint", targets: ["Sendlint"]),
    // libFuzzer harnesses (Scripts/fuzz.sh); a plain build replays files through them.
    .executable(name: "sendlint-fuzz", targets: ["SendlintFuzzMain"]),
    // `sendlint serve`: the HTTP server, a binary of its own so the CLI never links the HTTP stack.
    .executable(name: "sendlint-server", targets: ["SendlintServerMain"]),
  ],
  dependencies: [
    // Command-line parsing with generated help and shell completion; the Swift standard.
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    // YAML through libyaml, with source marks on every node (policy errors need line:col).
    .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    // `swift package generate-documentation --target Sendlint` (DocC); a command plugin only.
    .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    // `sendlint-server` only (the CLI never links these): the HTTP/1.1 server on SwiftNIO,
    // graceful shutdown on SIGTERM/SIGINT and the SIGHUP reload, and the /metrics text format.
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
    .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
    // Already under Hummingbird; named because the server imports them itself (locks, addresses, logs).
    .package(url: "https://github.com/apple/swift-nio", from: "2.0.0"),
    .package(url: "https://github.com/apple/swift-log", from: "1.0.0"),
  ],
  targets: [
    // Core vocabulary: source files with line indexes, spans, severities, findings.
    .target(name: "SendlintCore"),
    // A few ICU calls (UTS #46, UTS #39) behind a header of plain C types: ICU's own headers
    // clash with Foundation's private copy of ICU when both reach Swift.
    .target(
      name: "CICUShim",
      linkerSettings: [.linkedLibrary("icui18n"), .linkedLibrary("icuuc"), .linkedLibrary("icudata")]
    ),
    // RE2 behind a header of plain C types: policy regular expressions run on an automaton, linear
    // in the text by construction, however hostile the pattern or the draft.
    .target(name: "CRE2Shim", linkerSettings: [.linkedLibrary("re2")]),
    // The system zlib behind a header of plain C types: inflates PDF attachments' FlateDecode
    // streams with a hard output cap, so links inside them can be checked.
    .target(name: "CZlibShim", linkerSettings: [.linkedLibrary("z")]),
    // Strict YAML reading over Yams nodes: unknown keys, wrong types and bad values become
    // diagnostics with line:col, shared by the policy and campaign manifests.
    .target(name: "SendlintYAML", dependencies: ["SendlintCore", "Yams"]),
    .target(name: "SendlintMIME", dependencies: ["SendlintCore", "CICUShim"]),
    .target(name: "SendlintHTML", dependencies: ["SendlintCore"]),
    .target(name: "SendlintURL", dependencies: ["SendlintCore", "CICUShim"]),
    .target(
      name: "SendlintInventory",
      dependencies: [
        "SendlintCore", "SendlintMIME", "SendlintHTML", "SendlintURL", "SendlintYAML", "CZlibShim",
      ]
    ),
    // DNS on POSIX sockets (no swift-nio): the wire format, a bounded answer reader, a UDP/TCP stub
    // client, resolv.conf. Used only by `--online`.
    .target(name: "SendlintDNS", dependencies: ["SendlintCore"]),
    // `--online` facts: SPF evaluation, DKIM keys, DMARC records, reverse DNS, host existence,
    // looked up through SendlintDNS and attached to the inventory for the (pure) rules.
    .target(
      name: "SendlintOnline",
      dependencies: ["SendlintCore", "SendlintDNS", "SendlintInventory", "SendlintURL"]),
    .target(
      name: "SendlintRules",
      dependencies: [
        "SendlintCore", "SendlintInventory", "SendlintMIME", "SendlintHTML", "SendlintURL", "CRE2Shim",
      ]
    ),
    .target(
      name: "SendlintPolicy",
      dependencies: ["SendlintCore", "SendlintRules", "SendlintURL", "SendlintYAML"],
      plugins: ["EmbedPolicyPacks"]
    ),
    .target(
      name: "SendlintEngine",
      dependencies: [
        "SendlintCore", "SendlintMIME", "SendlintHTML", "SendlintURL", "SendlintYAML", "SendlintInventory",
        "SendlintRules",
        "SendlintPolicy", "SendlintDNS", "SendlintOnline",
      ]
    ),
    .target(
      name: "SendlintReport",
      dependencies: ["SendlintCore", "SendlintInventory", "SendlintURL", "SendlintRules", "SendlintEngine"]),
    // The library façade: policies from paths or bytes, drafts from memory, reports and formats.
    .target(
      name: "Sendlint",
      dependencies: [
        "SendlintCore", "SendlintInventory", "SendlintRules", "SendlintPolicy", "SendlintEngine",
        "SendlintReport",
      ]
    ),
    .executableTarget(
      name: "sendlint",
      dependencies: [
        "Sendlint", "SendlintCore", "SendlintURL", "SendlintInventory", "SendlintRules", "SendlintPolicy",
        "SendlintEngine",
        "SendlintReport", "SendlintDNS", .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    // `POST /v1/lint` over the façade: limits, policies by name, SIGHUP reload, metrics.
    .target(
      name: "SendlintServer",
      dependencies: [
        "Sendlint", "SendlintCore",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdCore", package: "hummingbird"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "UnixSignals", package: "swift-service-lifecycle"),
        .product(name: "Prometheus", package: "swift-prometheus"),
      ]
    ),
    .executableTarget(name: "SendlintServerMain", dependencies: ["SendlintServer"]),
    // Build-time tool: turns Policies/*.yaml into Swift string literals so the packs ship inside
    // the binary (no resource bundle to lose when the executable is copied elsewhere).
    .executableTarget(name: "PolicyPackEmbedder"),
    // Throughput measurements for Scripts/benchmark.sh; never run by swift test.
    .executableTarget(
      name: "SendlintBenchmarks", dependencies: ["SendlintCore", "SendlintMIME", "SendlintHTML"]),
    .plugin(name: "EmbedPolicyPacks", capability: .buildTool(), dependencies: ["PolicyPackEmbedder"]),
    // Helpers several test targets share, on SendlintCore alone so a parser's tests stay small:
    // paths, the `../shared` skip conditions, known-failure lists, the built binary's runner.
    .target(name: "SendlintTestSupport", dependencies: ["SendlintCore"], path: "Tests/SendlintTestSupport"),
    // Loading a policy from text for tests at or above SendlintPolicy.
    .target(
      name: "SendlintPolicyTestSupport",
      dependencies: ["SendlintCore", "SendlintRules", "SendlintPolicy", "SendlintTestSupport"],
      path: "Tests/SendlintPolicyTestSupport"),
    // One test target per module, fixtures beside it (`Tests/<Module>Tests/Fixtures`); a suite
    // that spans modules lives with the highest module it exercises (CONTRIBUTING: "Where tests live").
    .testTarget(
      name: "SendlintMIMETests", dependencies: ["SendlintCore", "SendlintMIME", "SendlintTestSupport"],
      exclude: ["Fixtures"]),
    .testTarget(
      name: "SendlintHTMLTests", dependencies: ["SendlintCore", "SendlintHTML", "SendlintTestSupport"]),
    .testTarget(
      name: "SendlintURLTests", dependencies: ["SendlintCore", "SendlintURL", "SendlintTestSupport"],
      exclude: ["Fixtures"]),
    .testTarget(
      name: "SendlintInventoryTests",
      dependencies: [
        "SendlintCore", "SendlintHTML", "SendlintURL", "SendlintInventory", "SendlintTestSupport",
      ]),
    .testTarget(
      name: "SendlintRulesTests",
      dependencies: [
        "SendlintCore", "SendlintMIME", "SendlintHTML", "SendlintURL", "SendlintInventory", "SendlintRules",
        "SendlintTestSupport",
      ]),
    .testTarget(
      name: "SendlintPolicyTests",
      dependencies: [
        "SendlintCore", "SendlintURL", "SendlintYAML", "SendlintInventory", "SendlintRules", "SendlintPolicy",
        "SendlintPolicyTestSupport",
      ]),
    // Also the corpus and detection suites and the policy-authoring cases run through the engine.
    .testTarget(
      name: "SendlintEngineTests",
      dependencies: [
        "SendlintCore", "SendlintYAML", "SendlintMIME", "SendlintHTML", "SendlintURL", "SendlintInventory",
        "CZlibShim", "SendlintDNS", "SendlintOnline", "SendlintRules", "SendlintPolicy", "SendlintEngine",
        "SendlintTestSupport", "SendlintPolicyTestSupport",
      ], exclude: ["Fixtures"]),
    .testTarget(
      name: "SendlintReportTests",
      dependencies: [
        "SendlintCore", "SendlintYAML", "SendlintHTML", "SendlintURL", "SendlintInventory", "SendlintRules",
        "SendlintPolicy", "SendlintEngine", "SendlintReport", "SendlintTestSupport",
        "SendlintPolicyTestSupport",
      ], exclude: ["Fixtures"]),
    // The `Sendlint` façade.
    .testTarget(name: "SendlintTests", dependencies: ["SendlintEngine", "Sendlint", "SendlintTestSupport"]),
    // Suites whose subject is the `sendlint` binary (run from .build/debug in a throwaway repository).
    .testTarget(
      name: "SendlintCLITests",
      dependencies: [
        "SendlintCore", "SendlintInventory", "SendlintPolicy", "SendlintEngine", "SendlintTestSupport",
      ]),
    // Starts the server on a loopback port the OS picks and speaks HTTP to it; checks bodies
    // against docs/openapi.yaml.
    .testTarget(name: "SendlintServerTests", dependencies: ["SendlintServer", "SendlintCore", "Yams"]),
    // Fuzz harnesses, one per parser of hostile input, chosen by SENDLINT_FUZZ_TARGET.
    .target(
      name: "SendlintFuzz",
      dependencies: [
        "SendlintCore", "SendlintMIME", "SendlintHTML", "SendlintURL", "SendlintInventory", "SendlintPolicy",
        "SendlintDNS",
      ]
    ),
    // Its weak C `main`: libFuzzer's replaces it under -sanitize=fuzzer; otherwise it replays files.
    .executableTarget(name: "SendlintFuzzMain", dependencies: ["SendlintFuzz"]),
  ]
)
