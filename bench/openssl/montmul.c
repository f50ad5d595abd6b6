// montmul times OpenSSL's constant-time 3072-bit Montgomery multiplication
// and squaring (BN_mod_mul_montgomery on operands flagged BN_FLG_CONSTTIME,
// modulus RFC 3526 group 15) and BN_mod_exp_mont_consttime, and prints the
// figures as Go benchmark lines, so that benchstat can put them next to
// internal/ctmath's BenchmarkMontMul. See bench/README.md.
//
//	cc -O2 -o montmul bench/openssl/montmul.c -lcrypto
//	./montmul [-count N] [-ms T]
//
// Each benchmark line is one burst of about T milliseconds (default 20),
// like go test -benchtime 20ms, so that both see the same share of a busy
// machine's preemptions.
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/opensslv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *nhex =
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1"
    "29024E088A67CC74020BBEA63B139B22514A08798E3404DD"
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245"
    "E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3D"
    "C2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D"
    "670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9"
    "DE2BCBF6955817183995497CEA956AE515D2261898FA0510"
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64"
    "ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7"
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6B"
    "F12FFA06D98A0864D87602733EC86A64521F2B18177B200C"
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB31"
    "43DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF";

static double now(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void die(const char *what) {
	fprintf(stderr, "montmul: %s failed\n", what);
	exit(1);
}

// burst runs op in batches until ms milliseconds have passed and returns
// the number of calls and the time per call in nanoseconds.
static double burst(int (*op)(void), double ms, int batch, long *calls) {
	long n = 0;
	double t0 = now(), t;
	do {
		for (int i = 0; i < batch; i++)
			if (!op())
				die("operation");
		n += batch;
		t = now();
	} while ((t - t0) * 1e3 < ms);
	*calls = n;
	return (t - t0) / n * 1e9;
}

static BN_CTX *ctx;
static BIGNUM *n, *a, *b, *r, *e;
static BN_MONT_CTX *mont;

static int mul(void) { return BN_mod_mul_montgomery(a, a, b, mont, ctx); }
static int sqr(void) { return BN_mod_mul_montgomery(a, a, a, mont, ctx); }
static int exp1024(void) { return BN_mod_exp_mont_consttime(r, b, e, n, ctx, mont); }

int main(int argc, char **argv) {
	int count = 1;
	double ms = 20;
	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "-count") == 0)
			count = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "-ms") == 0)
			ms = atof(argv[i + 1]);
		else {
			fprintf(stderr, "usage: montmul [-count N] [-ms T]\n");
			return 2;
		}
	}
	ctx = BN_CTX_new();
	a = BN_new(), b = BN_new(), r = BN_new(), e = BN_new();
	if (!BN_hex2bn(&n, nhex))
		die("BN_hex2bn");
	BN_set_flags(n, BN_FLG_CONSTTIME);
	mont = BN_MONT_CTX_new();
	if (!BN_MONT_CTX_set(mont, n, ctx))
		die("BN_MONT_CTX_set");
	// The operands of BenchmarkMontMul: N − 12345, in the Montgomery domain.
	if (!BN_sub(a, n, BN_value_one()) || !BN_sub_word(a, 12344))
		die("BN_sub");
	BN_set_flags(a, BN_FLG_CONSTTIME);
	BN_set_flags(b, BN_FLG_CONSTTIME);
	BN_set_flags(r, BN_FLG_CONSTTIME);
	if (!BN_to_montgomery(a, a, mont, ctx) || !BN_copy(b, a))
		die("BN_to_montgomery");
	// A 1024-bit exponent, the size of the client's a.
	if (!BN_rand(e, 1024, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY))
		die("BN_rand");
	BN_set_flags(e, BN_FLG_CONSTTIME);

	printf("goos: linux\ngoarch: amd64\npkg: github.com/cognitosrp/cognitosrp/internal/ctmath\n");
	printf("# %s\n", OpenSSL_version(OPENSSL_VERSION));
	for (int c = 0; c < count; c++) {
		long calls;
		double ns = burst(mul, ms, 100, &calls);
		printf("BenchmarkMontMul/kernel=openssl/op=mul-2 \t%8ld\t%10.1f ns/op\n", calls, ns);
		ns = burst(sqr, ms, 100, &calls);
		printf("BenchmarkMontMul/kernel=openssl/op=sqr-2 \t%8ld\t%10.1f ns/op\n", calls, ns);
		ns = burst(exp1024, ms, 1, &calls);
		printf("BenchmarkExp1024/kernel=openssl-2 \t%8ld\t%10.1f ns/op\n", calls, ns);
		fflush(stdout);
	}
	BN_MONT_CTX_free(mont);
	BN_free(n), BN_free(a), BN_free(b), BN_free(r), BN_free(e);
	BN_CTX_free(ctx);
	return 0;
}
