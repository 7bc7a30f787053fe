import ArgumentParser

/// An option's value type whose values the parser lists straight from its cases.
///
/// swift-argument-parser's defaults for a `String`-backed `CaseIterable` type build the same lists
/// through the key path `\.rawValue.defaultValueDescription`, instantiated at run time through
/// conformance look-ups (about 700,000 instructions a call), and the parser asks for them several
/// times at every start. The defaults describe a case by its raw value, so no description differs
/// from its value and none is given here either.
protocol PlainArgumentValues: ExpressibleByArgument, CaseIterable, RawRepresentable where RawValue == String {}

extension PlainArgumentValues {
    static var allValueStrings: [String] { allCases.map { $0.rawValue } }
    static var allValueDescriptions: [String: String] { [:] }
}
