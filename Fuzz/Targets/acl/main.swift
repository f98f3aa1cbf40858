// seeds: Tests/Fixtures/bad-input/xml Tests/DivideSourcesTests/Fixtures/acl-anthology Fuzz/Seeds/empty
import DivideSources
import FuzzSupport

// The ACL Anthology collection handler (SAX push parser).
fuzz { bytes in
    try fuzzFile(bytes, named: "2022.acl.xml") { path in
        _ = try ACLAnthologyParser().parse(path: path, displayName: "2022.acl.xml", emit: { _ in }, reject: { _, _, _ in })
    }
}
