/// The keys of two key sets, the first's then the second's: the ``AnalysisRequest/Keys`` of a request
/// made of parts that decode themselves (`km`: ``EventTimes`` then ``CurveFigureFields``), so no
/// part's keys are listed twice.
public struct JoinedKeys<First, Second>: CodingKey, CaseIterable, RawRepresentable, Sendable
where First: CodingKey & CaseIterable & RawRepresentable, First.RawValue == String,
      Second: CodingKey & CaseIterable & RawRepresentable, Second.RawValue == String {
    public let rawValue: String

    public static var allCases: [JoinedKeys] {
        (First.allCases.map(\.rawValue) + Second.allCases.map(\.rawValue)).map { JoinedKeys(known: $0) }
    }

    private init(known rawValue: String) { self.rawValue = rawValue }

    public init?(rawValue: String) {
        guard First(rawValue: rawValue) != nil || Second(rawValue: rawValue) != nil else { return nil }
        self.rawValue = rawValue
    }

    public init?(stringValue: String) { self.init(rawValue: stringValue) }
    public init?(intValue: Int) { nil }
    public var stringValue: String { rawValue }
    public var intValue: Int? { nil }
}
