// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "oomlens",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "OOMLens", targets: ["OOMLens"]),
        .executable(name: "oomlens", targets: ["oomlens"]),
        .executable(name: "oomlens-gen", targets: ["oomlens-gen"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // The distribution's libarchive (Debian/Ubuntu: libarchive-dev). Only Bundle/ArchiveReader.swift
        // and Bundle/ArchiveWriter.swift import it.
        .systemLibrary(
            name: "CLibArchive",
            pkgConfig: "libarchive",
            providers: [.apt(["libarchive-dev"]), .brew(["libarchive"])]
        ),
        // ISA-L's igzip inflater (Debian/Ubuntu: libisal-dev): gzip bundles inflate about twice as fast as
        // through libarchive's zlib. Only Bundle/GzipInflater.swift imports it.
        .systemLibrary(
            name: "CISAL",
            pkgConfig: "libisal",
            providers: [.apt(["libisal-dev"]), .brew(["isa-l"])]
        ),
        // libzstd (Debian/Ubuntu: libzstd-dev), whose buffer-less decoder writes a `.tar.zst` bundle's
        // blocks where libarchive reads them instead of copying each out of its window. Only
        // Bundle/ZstdDecoder.swift imports it (and the tests, to compress fixtures).
        .systemLibrary(
            name: "CZstd",
            pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev"]), .brew(["zstd"])]
        ),
        // libnettle's SHA-256 (Debian/Ubuntu: nettle-dev), for batch's content hashes; libarchive already
        // links libnettle there. Only Batch/SHA256.swift imports it.
        .systemLibrary(
            name: "CNettle",
            pkgConfig: "nettle",
            providers: [.apt(["nettle-dev"]), .brew(["nettle"])]
        ),
        // The vector scan behind the parsers' line sieve (`Support/NeedleSet.swift`): Swift has no
        // portable byte shuffle. Pure C, no state, with a portable fallback.
        .target(name: "CSieve"),
        // The whole engine: Bundle → Parsers → Timeline → Diagnosis → Reports.
        .target(
            name: "OOMLens",
            dependencies: ["CLibArchive", "CISAL", "CNettle", "CSieve", "CZstd", .product(name: "Yams", package: "Yams")]
        ),
        // Scenario descriptions → realistic bundles (samples, tests, benchmarks).
        .target(name: "BundleGenerator", dependencies: ["OOMLens"]),
        .executableTarget(
            name: "oomlens",
            dependencies: ["OOMLens", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(
            name: "oomlens-gen",
            dependencies: ["BundleGenerator", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(
            name: "OOMLensTests",
            dependencies: ["OOMLens", "BundleGenerator", "oomlens", "CZstd"],
            resources: [.copy("Fixtures")]
        ),
    ]
)
