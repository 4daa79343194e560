/* test_sha256.c — SHA-256 (src/sha256.c) against published vectors, padding boundaries and files. */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sha256.h"

static void expect_text(const char *msg, size_t n, const char *want)
{
    char hex[RI_SHA256_HEX];
    ri_sha256_text(msg, n, hex);
    assert_string_equal(hex, want);
}

/* FIPS 180-2 Appendix B.1 (one block): SHA-256("abc"). */
static void test_abc(void **state)
{
    (void)state;
    expect_text("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

/* The empty message, one block of padding only (NIST CAVP SHA256ShortMsg.rsp, Len = 0). */
static void test_empty(void **state)
{
    (void)state;
    expect_text("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

/* FIPS 180-2 Appendix B.2: the 448-bit message, whose padding needs a second block. */
static void test_two_blocks(void **state)
{
    static const char msg[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    (void)state;
    assert_int_equal(strlen(msg) * 8, 448);
    expect_text(msg, strlen(msg), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

/* FIPS 180-2 Appendix B.3: one million 'a', fed in uneven pieces so blocks straddle calls. */
static void test_million_a(void **state)
{
    static const char *want = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
    size_t total = 1000000, done = 0, piece = 1;
    char *a = malloc(total), hex[RI_SHA256_HEX];
    unsigned char d[RI_SHA256_SIZE];
    ri_sha256 s;
    (void)state;

    assert_non_null(a);
    memset(a, 'a', total);
    expect_text(a, total, want);
    ri_sha256_init(&s);
    while (done < total) {
        size_t n = piece < total - done ? piece : total - done;
        ri_sha256_update(&s, a + done, n);
        done += n;
        piece = piece % 97 + 13; /* 1, 14, 27, ...: lengths around and across 64 */
    }
    ri_sha256_final(&s, d);
    ri_sha256_hex(d, hex);
    assert_string_equal(hex, want);
    free(a);
}

/*
 * Lengths on both sides of where the 0x80 byte and the 8-byte length stop
 * fitting in the last block (55/56 bytes) and of whole blocks (63/64/65,
 * 119/120). Expected digests from an independent implementation:
 *   python3 -c "import hashlib; print(hashlib.sha256(b'a' * N).hexdigest())"
 */
static void test_padding_boundaries(void **state)
{
    static const struct {
        size_t n;
        const char *want;
    } cases[] = {
        {55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
        {56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
        {63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"},
        {64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
        {65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"},
        {119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"},
        {120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"},
    };
    char a[120];
    (void)state;

    memset(a, 'a', sizeof a);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_text(a, cases[i].n, cases[i].want);
}

static void test_file(void **state)
{
    const char *tmp = getenv("TMPDIR");
    char path[4096], hex[RI_SHA256_HEX];
    unsigned long long bytes = 0;
    ri_error err = {RI_RC_OK, ""};
    FILE *f;
    int fd;
    (void)state;

    snprintf(path, sizeof path, "%s/regind-sha256-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    assert_true((fd = mkstemp(path)) >= 0);
    assert_non_null(f = fdopen(fd, "w"));
    assert_int_equal(fputs("abc", f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(ri_sha256_file(path, hex, &bytes, &err), RI_RC_OK);
    /* The same bytes as test_abc. */
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_true(bytes == 3);
    assert_int_equal(unlink(path), 0);

    assert_int_equal(ri_sha256_file(path, hex, NULL, &err), RI_RC_DATA);
    assert_int_equal(err.code, RI_RC_DATA);
    assert_non_null(strstr(err.msg, path));
    assert_non_null(strstr(err.msg, "cannot read: No such file or directory"));
}

int main(void)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_abc),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_two_blocks),
        cmocka_unit_test(test_million_a),
        cmocka_unit_test(test_padding_boundaries),
        cmocka_unit_test(test_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
