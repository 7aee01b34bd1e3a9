import CloneBundlesS3
import Testing

struct SigV4SignerTests {
    static let token = "FwoGZXIvYXdzEBYaDEXAMPLESESSIONTOKEN/with+slash="
    static let temporary = AWSCredentials(
        accessKeyID: "ASIAIOSFODNN7EXAMPLE",
        secretAccessKey: AWSExample.secretAccessKey,
        sessionToken: token
    )

    @Test func temporaryCredentialsAddAndSignSecurityToken() throws {
        let steps = try AWSExample.signer.signingSteps(
            AWSExample.getObject, credentials: Self.temporary, at: AWSExample.timestamp)
        #expect(
            steps.canonicalRequest.signedHeaders == "host;range;x-amz-content-sha256;x-amz-date;x-amz-security-token")
        #expect(steps.canonicalRequest.headerLines.last == "x-amz-security-token:\(Self.token)")
        #expect(steps.signature.securityToken == Self.token)
        #expect(steps.signature.headers.last == SigV4Header(name: "x-amz-security-token", value: Self.token))
    }

    @Test func longTermCredentialsAddNoSecurityToken() throws {
        let result = try AWSExample.signer.sign(
            AWSExample.getObject, credentials: AWSExample.credentials, at: AWSExample.timestamp)
        #expect(result.headers.map(\.name) == ["Authorization", "x-amz-date", "x-amz-content-sha256"])
        #expect(result.headers[1].value == "20130524T000000Z")
        #expect(result.headers[2].value == SigV4PayloadHash.emptyBody.headerValue)
    }

    @Test func unsignedPayloadIsSentAndSigned() throws {
        var request = AWSExample.getObject
        request.payloadHash = .unsigned
        let steps = try AWSExample.signer.signingSteps(
            request, credentials: AWSExample.credentials, at: AWSExample.timestamp)
        #expect(steps.signature.contentSHA256 == "UNSIGNED-PAYLOAD")
        #expect(steps.canonicalRequest.text.hasSuffix("\nUNSIGNED-PAYLOAD"))
        #expect(steps.canonicalRequest.headerLines.contains("x-amz-content-sha256:UNSIGNED-PAYLOAD"))
    }

    @Test func regionAndServiceShapeTheScope() throws {
        let signer = SigV4Signer(region: "eu-west-1", service: "s3")
        let result = try signer.sign(
            AWSExample.getObject, credentials: AWSExample.credentials, at: AWSExample.timestamp)
        #expect(result.authorization.contains("/20130524/eu-west-1/s3/aws4_request,"))
        #expect(result.signature != "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    @Test(arguments: ["Expect", "expect", "EXPECT"])
    func refusesToSignExpect(name: String) {
        var request = AWSExample.getObject
        request.headers.append(SigV4Header(name: name, value: "100-continue"))
        #expect(throws: SigV4Error.unsignableHeader("expect")) {
            try AWSExample.signer.sign(request, credentials: AWSExample.credentials, at: AWSExample.timestamp)
        }
    }

    @Test(arguments: ["Host", "Authorization", "X-Amz-Date", "x-amz-content-sha256", "X-Amz-Security-Token"])
    func refusesHeadersTheSignerSets(name: String) {
        var request = AWSExample.getObject
        request.headers.append(SigV4Header(name: name, value: "x"))
        #expect(throws: SigV4Error.reservedHeader(name.lowercased())) {
            try AWSExample.signer.sign(request, credentials: AWSExample.credentials, at: AWSExample.timestamp)
        }
    }

    @Test func headerValueWithLineBreakIsRefusedWithoutEchoingIt() {
        var request = AWSExample.getObject
        request.headers.append(SigV4Header(name: "x-amz-meta-a", value: "secret\r\nx-evil: 1"))
        let error = #expect(throws: SigV4Error.self) {
            try AWSExample.signer.sign(request, credentials: AWSExample.credentials, at: AWSExample.timestamp)
        }
        #expect(error == .invalidHeaderValue(name: "x-amz-meta-a"))
        #expect(error?.description.contains("secret") == false)
    }

    @Test(arguments: [
        (
            SigV4Request(method: "GE T", host: AWSExample.host, path: "/", payloadHash: .emptyBody),
            SigV4Error.invalidMethod("GE T")
        ),
        (SigV4Request(method: "GET", host: "", path: "/", payloadHash: .emptyBody), .invalidHost("")),
        (SigV4Request(method: "GET", host: AWSExample.host, path: "key", payloadHash: .emptyBody), .invalidPath("key")),
        (
            SigV4Request(method: "GET", host: AWSExample.host, path: "/", payloadHash: .sha256Hex("ABC")),
            .invalidPayloadHash
        ),
        (
            SigV4Request(
                method: "GET", host: AWSExample.host, path: "/", headers: [SigV4Header(name: "bad name", value: "1")],
                payloadHash: .emptyBody
            ),
            .invalidHeaderName("bad name")
        ),
    ])
    func refusesMalformedRequests(request: SigV4Request, expected: SigV4Error) {
        #expect(throws: expected) {
            try AWSExample.signer.sign(request, credentials: AWSExample.credentials, at: AWSExample.timestamp)
        }
    }

    @Test func refusesMalformedScopeAndCredentials() {
        #expect(throws: SigV4Error.invalidScope(region: "us-east-1/x", service: "s3")) {
            try SigV4Signer(region: "us-east-1/x").sign(
                AWSExample.getObject, credentials: AWSExample.credentials, at: AWSExample.timestamp)
        }
        #expect(throws: SigV4Error.invalidAccessKeyID) {
            let credentials = AWSCredentials(accessKeyID: "AKIA/EXAMPLE", secretAccessKey: "s")
            return try AWSExample.signer.sign(AWSExample.getObject, credentials: credentials, at: AWSExample.timestamp)
        }
        #expect(throws: SigV4Error.missingSecretAccessKey) {
            let credentials = AWSCredentials(accessKeyID: AWSExample.accessKeyID, secretAccessKey: "")
            return try AWSExample.signer.sign(AWSExample.getObject, credentials: credentials, at: AWSExample.timestamp)
        }
    }

    @Test func signatureDescriptionHidesSignatureAndToken() throws {
        let result = try AWSExample.signer.sign(
            AWSExample.getObject, credentials: Self.temporary, at: AWSExample.timestamp)
        var dumped = ""
        dump(result, to: &dumped)
        for text in [result.description, result.debugDescription, "\(result)", String(reflecting: result), dumped] {
            #expect(!text.contains(result.signature))
            #expect(!text.contains(Self.token))
            #expect(!text.contains(AWSExample.secretAccessKey))
        }
    }
}
