/// The entries of a ZIP of stored (uncompressed) entries, read from its local file headers
/// (PKWARE APPNOTE 4.3.7), in file order: how the tests look inside a `.docx` without the
/// library that wrote it (issue 18).
public enum StoredZip {
    public struct Entry {
        public let name: String
        /// DOS time and date fields as written (0 and 0x21: 1980-01-01 00:00:00).
        public let time: Int, date: Int
        /// 0: stored.
        public let method: Int
        public let data: ArraySlice<UInt8>

        public var text: String { String(decoding: data, as: UTF8.self) }
    }

    public static func entries(_ bytes: [UInt8]) -> [Entry] {
        func u16(_ i: Int) -> Int { Int(bytes[i]) | Int(bytes[i + 1]) << 8 }
        func u32(_ i: Int) -> Int { u16(i) | u16(i + 2) << 16 }
        var entries: [Entry] = []
        var i = 0
        while i + 30 <= bytes.count, u32(i) == 0x0403_4B50 {
            let size = u32(i + 18), nameLength = u16(i + 26), extraLength = u16(i + 28)
            let start = i + 30 + nameLength + extraLength
            guard start + size <= bytes.count else { break }
            entries.append(Entry(name: String(decoding: bytes[(i + 30)..<(i + 30 + nameLength)], as: UTF8.self),
                                 time: u16(i + 10), date: u16(i + 12), method: u16(i + 8), data: bytes[start..<(start + size)]))
            i = start + size
        }
        return entries
    }
}
