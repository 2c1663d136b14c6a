import CohortStats

/// The tests' seeded generator: the library's SplitMix64 (one implementation), under the name the
/// tests have always used.
public typealias SeededGenerator = SplitMix64
