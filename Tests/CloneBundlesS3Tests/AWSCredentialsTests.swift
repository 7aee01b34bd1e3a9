import CloneBundlesS3
import Foundation
import PropertyBased
import Testing

struct AWSCredentialsTests {
    /// Every way a value commonly ends up as text.
    func renderings(_ credentials: AWSCredentials) -> [String] {
        var dumped = ""
        dump(credentials, to: &dumped)
        return [
            credentials.description, credentials.debugDescription, "\(credentials)",
            String(reflecting: credentials), String(describing: [credentials]), dumped,
            Mirror(reflecting: credentials).children.map { "\($0.value)" }.joined(),
        ]
    }

    @Test func descriptionShowsOnlyTheEndsOfTheKeyID() {
        let credentials = AWSCredentials(
            accessKeyID: AWSExample.accessKeyID,
            secretAccessKey: AWSExample.secretAccessKey,
            sessionToken: "TOKEN-VALUE-123",
            expiration: Date(timeIntervalSince1970: 0)
        )
        #expect(credentials.redactedAccessKeyID == "AKIA…MPLE")
        for text in renderings(credentials) {
            #expect(text.contains("AKIA…MPLE"))
            #expect(!text.contains(AWSExample.accessKeyID))
            #expect(!text.contains(AWSExample.secretAccessKey))
            #expect(!text.contains("TOKEN-VALUE-123"))
        }
        #expect(credentials.description.contains("1970-01-01"))
    }

    @Test func shortKeyIDIsHiddenEntirely() {
        #expect(AWSCredentials(accessKeyID: "AKIA123", secretAccessKey: "x").redactedAccessKeyID == "…")
    }

    @Test func noRenderingContainsTheSecretOrToken() async {
        let secret = Gen.letterOrNumber.string(of: 16...40)
        await propertyCheck(count: 100, input: secret, secret) { secret, token in
            let credentials = AWSCredentials(
                accessKeyID: "AKIAIOSFODNN7EXAMPLE",
                secretAccessKey: secret,
                sessionToken: token
            )
            for text in renderings(credentials) {
                #expect(!text.contains(secret))
                #expect(!text.contains(token))
            }
        }
    }
}
