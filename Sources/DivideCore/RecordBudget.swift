/// The budget of one upstream record, shared by the parsers that cut records out of text
/// themselves (blocks, lines, row groups): past it the record is rejected with the reason,
/// never kept whole in memory beyond its file's bytes.
public enum RecordBudget {
    /// Bytes of one record's text (a block, a line or the rows of one paper). The largest real
    /// record of the conference-site lists is a few kilobytes.
    public static let maxRecordBytes = 256 << 10
    /// Authors of one paper (the largest real author lists of ML papers hold a few hundred).
    public static let maxAuthors = 3_000
}
