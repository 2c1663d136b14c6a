/// `word/styles.xml`: the paragraph styles ``DocxRenderer`` names, so that an author restyles a
/// whole report in Word by editing a style rather than every cell.
///
/// Times New Roman 11 pt text and 10 pt tables with no space between a table's lines, as most
/// journals ask for in a submitted manuscript; notes 9 pt under the table.
extension DocxPackage {
    static let styles = xmlHeader
        + "<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
        + "<w:docDefaults><w:rPrDefault><w:rPr>"
        + "<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"Times New Roman\" w:cs=\"Times New Roman\"/>"
        + "<w:sz w:val=\"22\"/><w:szCs w:val=\"22\"/><w:lang w:val=\"en-US\"/></w:rPr></w:rPrDefault>"
        + "<w:pPrDefault><w:pPr><w:spacing w:after=\"120\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>"
        + style("Normal", name: "Normal", isDefault: true)
        + style("Heading1", name: "heading 1", paragraph: "<w:keepNext/><w:spacing w:before=\"240\" w:after=\"120\"/><w:outlineLvl w:val=\"0\"/>",
                run: "<w:b/><w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/>")
        + style("TableTitle", name: "Table Title", paragraph: "<w:keepNext/><w:spacing w:before=\"240\" w:after=\"120\"/>", run: "<w:b/>")
        + style("TableText", name: "Table Text", paragraph: "<w:spacing w:before=\"20\" w:after=\"20\"/>",
                run: "<w:sz w:val=\"20\"/><w:szCs w:val=\"20\"/>")
        + style("TableNote", name: "Table Note", paragraph: "<w:spacing w:after=\"0\"/>", run: "<w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/>")
        + style("Figure", name: "Figure", paragraph: "<w:keepNext/><w:spacing w:before=\"240\" w:after=\"0\"/>")
        + style("Caption", name: "caption", paragraph: "<w:spacing w:after=\"240\"/>", run: "<w:b/><w:sz w:val=\"20\"/><w:szCs w:val=\"20\"/>")
        + "</w:styles>\n"

    /// A paragraph style based on Normal (Normal itself has no base).
    static func style(_ id: String, name: String, isDefault: Bool = false, paragraph: String = "", run: String = "") -> String {
        "<w:style w:type=\"paragraph\"" + (isDefault ? " w:default=\"1\"" : "") + " w:styleId=\"\(id)\"><w:name w:val=\"\(name)\"/>"
            + (id == "Normal" ? "" : "<w:basedOn w:val=\"Normal\"/>") + "<w:qFormat/>"
            + (paragraph.isEmpty ? "" : "<w:pPr>\(paragraph)</w:pPr>") + (run.isEmpty ? "" : "<w:rPr>\(run)</w:rPr>") + "</w:style>"
    }
}
