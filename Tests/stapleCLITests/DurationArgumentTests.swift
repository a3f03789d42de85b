@testable import staple
import Testing

@Suite struct DurationArgumentTests {
    @Test func durations() {
        #expect(DurationArgument.seconds("36h") == 129_600)
        #expect(DurationArgument.seconds("5d") == 432_000)
        #expect(DurationArgument.seconds("90m") == 5400)
        #expect(DurationArgument.seconds("2w") == 1_209_600)
        #expect(DurationArgument.seconds("3600") == 3600)
        #expect(DurationArgument.seconds("5x") == nil)
        #expect(DurationArgument.seconds("-5d") == nil)
        #expect(DurationArgument.seconds("99999999999999999d") == nil)
    }
}
