import CohortData
import CohortStats

/// `cohort incidence` inside PostgreSQL (issue 17): one `GROUP BY` of the outcome and the group a
/// site returns how many rows hold each (outcome, group) pair; the pairs' counts, added over the
/// sites, give events and n per group, and ``CohortStats/Incidence`` the proportions and intervals
/// exactly as from the rows. What crosses the wire grows with the number of distinct pairs, never
/// with the rows.
public enum PushdownIncidence {
    /// The incidence of `outcome`'s event, overall or by `group`, from the sites' counts.
    /// - Throws: ``DatabaseError`` (connection, missing column, disclosure), `DataError` when the
    ///   values contradict the codebook, ``CohortStats/ModelError`` as for the rows.
    public static func compute(_ counts: PushdownCounts, outcome: String, eventLevel: String?, group: String?,
                               method: BinomialInterval.Method, level: Double) throws -> IncidenceResult {
        let (table, multiplicity, _) = try counts.table(of: [outcome] + (group.map { [$0] } ?? []))
        return try Incidence.compute(table: table, outcome: outcome, eventLevel: eventLevel, group: group, method: method, level: level,
                                     multiplicity: multiplicity)
    }
}
