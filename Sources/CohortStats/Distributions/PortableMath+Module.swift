import CohortData

// Inside CohortStats these module-level functions shadow the C library's of the same names (a
// declaration in the module wins over an imported one), so that every call of the statistics goes
// to ``CohortData/PortableMath`` and gives the same bits on every CPU (issue 12; see PortableMath
// for why glibc's do not). New code needs nothing special: `exp(x)` here is the portable one.

@inline(__always) func exp(_ x: Double) -> Double { PortableMath.exp(x) }
@inline(__always) func log(_ x: Double) -> Double { PortableMath.log(x) }
@inline(__always) func log1p(_ x: Double) -> Double { PortableMath.log1p(x) }
@inline(__always) func expm1(_ x: Double) -> Double { PortableMath.expm1(x) }
@inline(__always) func lgamma(_ x: Double) -> Double { PortableMath.lgamma(x) }
@inline(__always) func erf(_ x: Double) -> Double { PortableMath.erf(x) }
@inline(__always) func erfc(_ x: Double) -> Double { PortableMath.erfc(x) }
@inline(__always) func log10(_ x: Double) -> Double { PortableMath.log10(x) }
@inline(__always) func log2(_ x: Double) -> Double { PortableMath.log2(x) }
