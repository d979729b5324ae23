import Foundation

/// The API's OpenAPI 3 document (`openapi.json` in this module's resources), served at
/// `/openapi.json` and used by the tests and by schemathesis.
public enum OpenAPIDocument {
    public static let text: String = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"),
              let text = try? String(contentsOf: url, encoding: .utf8) else {
            return #"{"openapi": "3.0.3", "info": {"title": "the document is missing from the build", "version": "0"}, "paths": {}}"#
        }
        return text
    }()
}
