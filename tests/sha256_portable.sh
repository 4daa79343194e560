#!/bin/sh
# The SHA-256 test vectors again on the portable rounds, for machines whose
# CPU takes the SHA-extensions path in test_sha256.
REGIND_NO_SHA_NI=1 exec "${TEST_BUILDDIR:-.}/tests/test_sha256"
