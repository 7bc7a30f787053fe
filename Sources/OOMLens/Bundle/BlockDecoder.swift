/// A compressed file's decoder that hands out what it decoded one buffer at a time: `GzipInflater`
/// and `ZstdDecoder`, which `ArchiveReader` reads instead of libarchive's own filters.
protocol BlockDecoder: ~Copyable {
    associatedtype Failure: DecoderFailure
    /// Compressed bytes consumed so far.
    var bytesIn: Int64 { get }
    /// The next decoded bytes, empty at the stream's end; valid until the next call.
    mutating func next() throws(Failure) -> UnsafeRawBufferPointer
}

/// Why a `BlockDecoder` could not go on, in words for the report.
protocol DecoderFailure: Error {
    var message: String { get }
}

extension GzipInflater: BlockDecoder {}
extension GzipError: DecoderFailure {}
extension ZstdDecoder: BlockDecoder {}
extension ZstdError: DecoderFailure {}
