import CloneBundlesCrypto
import CloneBundlesS3
import Testing

struct SigV4KnownAnswerTests {
    /// The four examples of AWS's S3 documentation.
    static let awsDocumentation: [SignatureVector] = [
        SignatureVector(
            name: "GET object",
            request: AWSExample.getObject,
            signature: "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
            signedHeaders: "host;range;x-amz-content-sha256;x-amz-date"
        ),
        SignatureVector(
            name: "PUT object",
            request: SigV4Request(
                method: "PUT",
                host: AWSExample.host,
                path: "/test$file.text",
                headers: [
                    SigV4Header(name: "Date", value: "Fri, 24 May 2013 00:00:00 GMT"),
                    SigV4Header(name: "x-amz-storage-class", value: "REDUCED_REDUNDANCY"),
                ],
                payloadHash: .sha256Hex("44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072")
            ),
            signature: "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd",
            signedHeaders: "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class"
        ),
        SignatureVector(
            name: "GET bucket lifecycle",
            request: SigV4Request(
                method: "GET",
                host: AWSExample.host,
                path: "/",
                queryItems: [SigV4QueryItem(name: "lifecycle", value: nil)],
                payloadHash: .emptyBody
            ),
            signature: "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543",
            signedHeaders: "host;x-amz-content-sha256;x-amz-date"
        ),
        SignatureVector(
            name: "GET bucket (list objects)",
            request: SigV4Request(
                method: "GET",
                host: AWSExample.host,
                path: "/",
                queryItems: [SigV4QueryItem(name: "prefix", value: "J"), SigV4QueryItem(name: "max-keys", value: "2")],
                payloadHash: .emptyBody
            ),
            signature: "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7",
            signedHeaders: "host;x-amz-content-sha256;x-amz-date"
        ),
    ]

    /// Requests AWS does not document, signed with botocore 1.43.11's
    /// `S3SigV4Auth` at the same time and with the same key (botocore
    /// reproduces the documentation's vectors, so it serves as a reference).
    static let botocoreReference: [SignatureVector] = [
        SignatureVector(
            name: "GET object with temporary credentials",
            request: AWSExample.getObject,
            credentials: AWSCredentials(
                accessKeyID: AWSExample.accessKeyID,
                secretAccessKey: AWSExample.secretAccessKey,
                sessionToken: "AQoDYXdzEJr//////////wEaoAK1EXAMPLETOKEN+/="
            ),
            signature: "9fde6239b29a7002f284660fa42b6dba78d65c4e8989d2758c6a647d5b45aacd",
            signedHeaders: "host;range;x-amz-content-sha256;x-amz-date;x-amz-security-token"
        ),
        SignatureVector(
            name: "UploadPart with a non-ASCII key and untidy header",
            request: SigV4Request(
                method: "PUT",
                host: AWSExample.host,
                path: "/photos/\u{E9}t\u{E9} 2024/\u{FC}~$+.jpg",
                queryItems: [
                    SigV4QueryItem(name: "uploadId", value: "a/b c~"),
                    SigV4QueryItem(name: "partNumber", value: "3"),
                ],
                headers: [
                    SigV4Header(name: "X-Amz-Meta-Note", value: "  two   spaces\there  "),
                    SigV4Header(name: "Content-Type", value: "application/octet-stream"),
                ],
                payloadHash: .sha256Hex("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")
            ),
            signature: "d741b6bf2939cc67e9843e2e2e5986c6d211b3b2b1217e0c491cc6632e39ce30",
            signedHeaders: "content-type;host;x-amz-content-sha256;x-amz-date;x-amz-meta-note"
        ),
    ]

    @Test(arguments: awsDocumentation + botocoreReference)
    func reproducesReferenceSignature(_ vector: SignatureVector) throws {
        let result = try AWSExample.signer.sign(
            vector.request, credentials: vector.credentials, at: AWSExample.timestamp)
        #expect(result.signature == vector.signature)
        #expect(result.signedHeaders == vector.signedHeaders)
        #expect(
            result.authorization
                == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
                + "SignedHeaders=\(vector.signedHeaders),Signature=\(vector.signature)"
        )
    }

    /// The intermediate texts printed in AWS's documentation for GET object.
    @Test func getObjectCanonicalRequestAndStringToSignMatchDocumentation() throws {
        let steps = try AWSExample.signer.signingSteps(
            AWSExample.getObject,
            credentials: AWSExample.credentials,
            at: AWSExample.timestamp
        )
        #expect(
            steps.canonicalRequest.text == """
                GET
                /test.txt

                host:examplebucket.s3.amazonaws.com
                range:bytes=0-9
                x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                x-amz-date:20130524T000000Z

                host;range;x-amz-content-sha256;x-amz-date
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                """
        )
        #expect(
            steps.stringToSign == """
                AWS4-HMAC-SHA256
                20130524T000000Z
                20130524/us-east-1/s3/aws4_request
                7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972
                """
        )
    }

    @Test func putObjectCanonicalRequestEncodesDollarOnce() throws {
        let vector = Self.awsDocumentation[1]
        let steps = try AWSExample.signer.signingSteps(
            vector.request, credentials: vector.credentials, at: AWSExample.timestamp)
        #expect(steps.canonicalRequest.encodedPath == "/test%24file.text")
        #expect(
            steps.canonicalRequest.headerLines == [
                "date:Fri, 24 May 2013 00:00:00 GMT",
                "host:examplebucket.s3.amazonaws.com",
                "x-amz-content-sha256:44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072",
                "x-amz-date:20130524T000000Z",
                "x-amz-storage-class:REDUCED_REDUNDANCY",
            ]
        )
    }

    @Test func listObjectsCanonicalQueryIsSorted() throws {
        let vector = Self.awsDocumentation[3]
        let steps = try AWSExample.signer.signingSteps(
            vector.request, credentials: vector.credentials, at: AWSExample.timestamp)
        #expect(steps.canonicalRequest.query == "max-keys=2&prefix=J")
    }

    @Test func putObjectPayloadHashIsTheBodysSHA256() throws {
        let digest = try SHA256.hash(Array("Welcome to Amazon S3.".utf8))
        #expect(SigV4PayloadHash.sha256(digest: digest) == Self.awsDocumentation[1].request.payloadHash)
    }
}
