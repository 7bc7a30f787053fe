/// Which parser reads which kind of file.
public enum ParserRegistry {
    /// A fresh parser for a member of the given kind, or nil when none reads it (yet).
    public static func parser(for context: ParseContext, maxLineBytes: Int = 1 << 20) -> (any FileParser)? {
        switch context.kind {
        case .describePods: return LineParsing<DescribePodParser>(context: context, maxLineBytes: maxLineBytes)
        case .describeNodes: return LineParsing<DescribeNodeParser>(context: context, maxLineBytes: maxLineBytes)
        case .getPods, .getEvents, .getNodes, .top:
            return LineParsing<KubectlTableParser>(context: context, maxLineBytes: maxLineBytes)
        case .nodeLog, .dmesg, .kubeletLog, .containerdLog, .crioLog:
            return LineParsing<NodeLogParser>(context: context, maxLineBytes: maxLineBytes)
        case .journalJSON: return LineParsing<JournalJSONParser>(context: context, maxLineBytes: maxLineBytes)
        case .apiJSON: return APIJSONParser(context: context)
        case .apiYAML: return APIYAMLParser(context: context)
        case .bundleMetadata: return LineParsing<BundleMetadataParser>(context: context, maxLineBytes: maxLineBytes)
        case .dockerEvents: return LineParsing<DockerEventsParser>(context: context, maxLineBytes: maxLineBytes)
        case .cgroupMemory: return LineParsing<CgroupMemoryParser>(context: context, maxLineBytes: maxLineBytes)
        case .containerLog: return LineParsing<ContainerLogParser>(context: context, maxLineBytes: maxLineBytes)
        case .unrecognized:
            return nil
        }
    }
}
