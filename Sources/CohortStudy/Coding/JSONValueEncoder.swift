import CohortReport

/// Encodes an `Encodable` value (a request) as a ``CohortReport/JSONValue``, keys in the order the
/// type encodes them (declaration order for synthesized conformances), so a report's provenance is
/// the request itself, written the same way on every run (Foundation's `JSONEncoder` orders keys by
/// hash unless sorted, and sorting would lose the order the reference documents).
///
/// Only what requests hold is supported: strings, Booleans, integers, doubles, optionals (absent
/// when nil), arrays and nested keyed values.
enum JSONValueEncoder {
    static func encode(_ value: some Encodable) -> JSONValue {
        let box = Box()
        do {
            try value.encode(to: Writer(box: box, codingPath: []))
        } catch {
            // Our requests encode plain values only; an encoding error would be a programming error.
            preconditionFailure("a request failed to encode: \(error)")
        }
        return box.resolved
    }

    /// One JSON value under construction (containers fill it in as they are written).
    final class Box {
        var value: JSONValue = .null
        var pairs: [(String, Box)]?
        var items: [Box]?

        var resolved: JSONValue {
            if let pairs { return .object(pairs.map { ($0.0, $0.1.resolved) }) }
            if let items { return .array(items.map(\.resolved)) }
            return value
        }
    }

    struct Writer: Encoder {
        let box: Box
        var codingPath: [any CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            if box.pairs == nil { box.pairs = [] }
            return KeyedEncodingContainer(Keyed<Key>(box: box, codingPath: codingPath))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            if box.items == nil { box.items = [] }
            return Unkeyed(box: box, codingPath: codingPath)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer { Single(box: box, codingPath: codingPath) }
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let box: Box
        var codingPath: [any CodingKey]

        private func child(_ key: Key) -> Box {
            let child = Box()
            box.pairs?.append((key.stringValue, child))
            return child
        }

        mutating func encodeNil(forKey key: Key) throws { child(key).value = .null }
        mutating func encode(_ value: Bool, forKey key: Key) throws { child(key).value = .bool(value) }
        mutating func encode(_ value: String, forKey key: Key) throws { child(key).value = .string(value) }
        mutating func encode(_ value: Double, forKey key: Key) throws { child(key).value = .number(value) }
        mutating func encode(_ value: Int, forKey key: Key) throws { child(key).value = .integer(value) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { child(key).value = .string(String(value)) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            try value.encode(to: Writer(box: child(key), codingPath: codingPath + [key]))
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            Writer(box: child(key), codingPath: codingPath + [key]).container(keyedBy: keyType)
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            Writer(box: child(key), codingPath: codingPath + [key]).unkeyedContainer()
        }
        mutating func superEncoder() -> any Encoder { Writer(box: box, codingPath: codingPath) }
        mutating func superEncoder(forKey key: Key) -> any Encoder { Writer(box: child(key), codingPath: codingPath + [key]) }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let box: Box
        var codingPath: [any CodingKey]
        var count: Int { box.items?.count ?? 0 }

        private func child() -> Box {
            let child = Box()
            box.items?.append(child)
            return child
        }

        mutating func encodeNil() throws { child().value = .null }
        mutating func encode(_ value: Bool) throws { child().value = .bool(value) }
        mutating func encode(_ value: String) throws { child().value = .string(value) }
        mutating func encode(_ value: Double) throws { child().value = .number(value) }
        mutating func encode(_ value: Int) throws { child().value = .integer(value) }
        mutating func encode<T: Encodable>(_ value: T) throws { try value.encode(to: Writer(box: child(), codingPath: codingPath)) }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            Writer(box: child(), codingPath: codingPath).container(keyedBy: keyType)
        }
        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { Writer(box: child(), codingPath: codingPath).unkeyedContainer() }
        mutating func superEncoder() -> any Encoder { Writer(box: child(), codingPath: codingPath) }
    }

    struct Single: SingleValueEncodingContainer {
        let box: Box
        var codingPath: [any CodingKey]
        mutating func encodeNil() throws { box.value = .null }
        mutating func encode(_ value: Bool) throws { box.value = .bool(value) }
        mutating func encode(_ value: String) throws { box.value = .string(value) }
        mutating func encode(_ value: Double) throws { box.value = .number(value) }
        mutating func encode(_ value: Int) throws { box.value = .integer(value) }
        mutating func encode(_ value: UInt64) throws { box.value = .string(String(value)) }
        mutating func encode<T: Encodable>(_ value: T) throws { try value.encode(to: Writer(box: box, codingPath: codingPath)) }
    }
}
