public import CloneBundlesStages
import Synchronization

/// Answers the manifest stage's URL checks from a table: every URL serves `defaultAnswer`
/// unless told otherwise; records what was asked.
public final class FakeURLFetcher: AdvertisedURLFetching {
    private let answers: [String: ServedObject]
    private let defaultAnswer: ServedObject
    private let asked = Mutex<[String]>([])

    public init(_ answers: [String: ServedObject] = [:], default defaultAnswer: ServedObject) {
        self.answers = answers
        self.defaultAnswer = defaultAnswer
    }

    /// Every URL fetched, in no particular order.
    public var fetched: [String] { asked.withLock { $0 } }

    public func fetch(_ url: String) async -> ServedObject {
        asked.withLock { $0.append(url) }
        return answers[url] ?? defaultAnswer
    }
}
