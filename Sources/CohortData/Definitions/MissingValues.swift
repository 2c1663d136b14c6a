/// How the clinical definitions treat missing inputs, written once for all of them.
///
/// A definition returns nil when a missing input could change its answer, and answers when it
/// cannot (an ISTH major bleed that was fatal needs no haemoglobin value). Two documented
/// exceptions: CARAC's laboratory flags list what is met among the values given, and the Chinese
/// DIC score by default counts a missing 24-hour fall or APTT as 0. A numeric ``Column``
/// stores a missing value as NaN, so NaN counts as missing exactly as nil does; ±infinity, which no
/// laboratory reports, is treated as missing too rather than scored.
extension Optional where Wrapped == Double {
    /// The value when it is a usable measurement; nil when it is nil, NaN or infinite.
    var measurement: Double? {
        guard case .some(let value) = self, value.isFinite else { return nil }
        return value
    }
}

/// Three-valued (Kleene) "or": true when any criterion is known to be met, nil when none is but
/// one is unknown, false when every criterion is known not to be met.
func anyCriterionMet(_ criteria: [Bool?]) -> Bool? {
    if criteria.contains(true) { return true }
    return criteria.contains(nil) ? nil : false
}
