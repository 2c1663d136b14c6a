/// A table as a piece of a larger page (a report's `summary.md` and `index.html`), not a whole
/// document: the same renderers the formats use.
public enum ReportFragments {
    public static func markdown(_ table: ReportTable) -> String { MarkdownRenderer.render(table) }
    public static func html(_ table: ReportTable) -> String { HTMLRenderer.render(table) }
    /// Text made safe inside Markdown and HTML, as the renderers escape cells.
    public static func markdownEscaped(_ text: String) -> String { MarkdownRenderer.escape(text) }
    public static func htmlEscaped(_ text: String) -> String { HTMLRenderer.escape(text) }
    /// Without its last line break (a fragment placed among lines).
    public static func trimmed(_ text: String) -> String { text.trailingNewlineRemoved }
}
