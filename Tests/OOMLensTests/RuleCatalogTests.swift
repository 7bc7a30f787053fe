import Foundation
import Testing
@testable import OOMLens

@Suite struct RuleCatalogTests {
    @Test func docsRulesIsCurrent() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let committed = try String(contentsOf: root.appendingPathComponent("docs/rules.md"), encoding: .utf8)
        #expect(committed == RuleCatalogRenderer.markdown(), "docs/rules.md is stale: run `swift run oomlens explain --markdown > docs/rules.md`")
    }

    @Test func explainsEveryRuleAndKind() {
        for rule in DiagnosisRules.all {
            #expect(RuleCatalogRenderer.explain(rule.id)?.contains(rule.summary) == true)
        }
        for kind in Incident.Kind.allCases { #expect(RuleCatalogRenderer.explain(kind.rawValue) != nil) }
        #expect(RuleCatalogRenderer.explain("no-such-rule") == nil)
    }
}
