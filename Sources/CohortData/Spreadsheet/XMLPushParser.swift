import Foundation
import _CLibXML2

/// One XML document read with libxml2's SAX2 push parser: the bytes are fed in chunks of any size
/// as they arrive (a workbook part as ZIPFoundation decompresses it), and the events reach a
/// ``XMLPartHandler`` as bytes (no String, no attribute dictionary), so a part is never held whole
/// (issue 18). Foundation's `XMLParser` can only be given a finished `Data` or a pull `InputStream`,
/// and its per-element Strings and dictionaries were most of the reader's time.
///
/// Entities are not substituted (`XML_PARSE_NOENT` is off, so a DOCTYPE cannot pull in a file) and
/// the network is never used; the predefined entities and character references arrive decoded
/// (an ampersand in an attribute value as `&#38;`: see ``XMLAttributes/decodedString(_:prefixed:)``).
final class XMLPushParser {
    private let context: xmlParserCtxtPtr
    private let handler: XMLPartHandler
    private var finished = false

    private static let initialized: Void = xmlInitParser()

    init(handler: XMLPartHandler) {
        _ = Self.initialized
        self.handler = handler
        var sax = xmlSAXHandler()
        sax.initialized = UInt32(XML_SAX2_MAGIC)
        sax.startElementNs = { context, name, _, _, _, _, count, _, attributes in
            guard let context, let name else { return }
            XMLPushParser.handler(context).start(name, XMLAttributes(values: attributes, count: Int(count)))
        }
        sax.endElementNs = { context, name, _, _ in
            guard let context, let name else { return }
            XMLPushParser.handler(context).end(name)
        }
        sax.characters = { context, text, length in
            guard let context, let text, length > 0 else { return }
            XMLPushParser.handler(context).characters(UnsafeBufferPointer(start: text, count: Int(length)))
        }
        sax.cdataBlock = sax.characters
        // Errors are reported by the return codes (and the line) rather than printed.
        sax.serror = { _, _ in }
        let user = Unmanaged.passUnretained(handler).toOpaque()
        guard let context = xmlCreatePushParserCtxt(&sax, user, nil, 0, nil) else { fatalError("libxml2 cannot make a parser context (out of memory)") }
        self.context = context
        xmlCtxtUseOptions(context, Int32(XML_PARSE_NONET.rawValue))
        handler.stop = { [context] in xmlStopParser(context) }
    }

    deinit {
        handler.stop = nil
        xmlFreeParserCtxt(context)
    }

    private static func handler(_ context: UnsafeMutableRawPointer) -> XMLPartHandler {
        Unmanaged<XMLPartHandler>.fromOpaque(context).takeUnretainedValue()
    }

    /// Parses the next bytes; false once the document is not well formed or the handler stopped.
    @discardableResult
    func feed(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard !finished, handler.failure == nil else { return false }
        // xmlParseChunk takes an Int32 length.
        for start in stride(from: 0, to: bytes.count, by: 1 << 24) {
            let piece = UnsafeRawBufferPointer(rebasing: bytes[start..<min(start + (1 << 24), bytes.count)])
            let code = xmlParseChunk(context, piece.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(piece.count), 0)
            if code != 0 || handler.failure != nil { return false }
        }
        return true
    }

    /// Ends the document: true when it was well formed and the handler did not stop it.
    func finish() -> Bool {
        guard !finished else { return false }
        finished = true
        let code = xmlParseChunk(context, nil, 0, 1)
        return code == 0 && context.pointee.wellFormed != 0 && handler.failure == nil
    }

    /// The line the parser has reached (for a message about XML that is not well formed).
    var line: Int { Int(xmlSAX2GetLineNumber(context)) }
}

/// Receives one part's events; a subclass overrides what it needs. The element names are the local
/// names (without a namespace prefix), NUL-terminated.
class XMLPartHandler {
    var failure: DataError?
    /// Stops the parser (set by ``XMLPushParser``).
    var stop: (() -> Void)?

    func start(_ name: UnsafePointer<UInt8>, _ attributes: XMLAttributes) {}
    func characters(_ text: UnsafeBufferPointer<UInt8>) {}
    func end(_ name: UnsafePointer<UInt8>) {}

    func fail(_ error: DataError) {
        if failure == nil { failure = error }
        stop?()
    }
}

/// True when the NUL-terminated `name` is `expected`.
@inline(__always)
func xmlName(_ name: UnsafePointer<UInt8>, is expected: StaticString) -> Bool {
    let count = expected.utf8CodeUnitCount
    let bytes = expected.utf8Start
    for k in 0..<count where name[k] != bytes[k] { return false }
    return name[count] == 0
}

/// An element's attributes as libxml2 hands them over: five pointers each (local name, prefix,
/// namespace, value start, value end).
struct XMLAttributes {
    let values: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    let count: Int

    /// The value of the attribute named `name` (any prefix unless `prefixed` says), as given: the
    /// entity and character references in it not decoded (cell references, types and numbers hold none).
    func bytes(_ name: StaticString, prefixed: Bool? = nil) -> UnsafeBufferPointer<UInt8>? {
        guard let values else { return nil }
        for a in 0..<count {
            guard let local = values[5 * a], xmlName(local, is: name) else { continue }
            if let prefixed, prefixed != (values[5 * a + 1] != nil) { continue }
            guard let start = values[5 * a + 3], let end = values[5 * a + 4] else { return nil }
            return UnsafeBufferPointer(start: start, count: end - start)
        }
        return nil
    }

    /// The value as text: names, targets, format codes. libxml2 decodes the references in an
    /// attribute value itself, except that without entity substitution an ampersand (`&amp;`,
    /// `&#38;`) is handed over as `&#38;`, which is decoded here.
    func decodedString(_ name: StaticString, prefixed: Bool? = nil) -> String? {
        guard let raw = bytes(name, prefixed: prefixed) else { return nil }
        let text = String(decoding: raw, as: UTF8.self)
        return raw.contains(0x26) ? text.replacingOccurrences(of: "&#38;", with: "&") : text
    }
}
