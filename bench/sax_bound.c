/* The upper bound for arXiv XML parsing: libxml2's SAX2 push parser with empty callbacks over the
 * same gzip pages the parse stage reads (zlib gzread, 256 KB chunks, XML_PARSE_NONET), i.e. the
 * raw cost of decompressing and tokenizing, with no records built.
 *
 *   cc -O2 bench/sax_bound.c $(pkg-config --cflags --libs libxml-2.0 zlib) -o sax_bound
 *   sax_bound [--gunzip-only] page-001.xml.gz page-002.xml.gz …
 *
 * Prints one JSON line: {"mode", "files", "bytes" (uncompressed), "elements", "seconds", "mb_per_s"}.
 */
#include <libxml/parser.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

static long elements = 0;

static void on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri,
                     int nb_namespaces, const xmlChar **namespaces, int nb_attributes, int nb_defaulted,
                     const xmlChar **attributes) {
    (void)ctx; (void)localname; (void)prefix; (void)uri; (void)nb_namespaces; (void)namespaces;
    (void)nb_attributes; (void)nb_defaulted; (void)attributes;
    elements++;
}
static void on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri) {
    (void)ctx; (void)localname; (void)prefix; (void)uri;
}
static void on_characters(void *ctx, const xmlChar *ch, int len) { (void)ctx; (void)ch; (void)len; }

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    int gunzip_only = 0, first = 1;
    if (argc > 1 && strcmp(argv[1], "--gunzip-only") == 0) { gunzip_only = 1; first = 2; }
    static char chunk[256 * 1024];
    xmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    sax.initialized = XML_SAX2_MAGIC;
    sax.startElementNs = on_start;
    sax.endElementNs = on_end;
    sax.characters = on_characters;
    long long bytes = 0;
    double start = now();
    for (int i = first; i < argc; i++) {
        gzFile f = gzopen(argv[i], "rb");
        if (!f) { fprintf(stderr, "%s: cannot open\n", argv[i]); return 1; }
        gzbuffer(f, 256 * 1024);
        xmlParserCtxtPtr ctxt = NULL;
        int n;
        while ((n = gzread(f, chunk, sizeof chunk)) > 0) {
            bytes += n;
            if (gunzip_only) continue;
            if (!ctxt) {
                ctxt = xmlCreatePushParserCtxt(&sax, NULL, chunk, n, argv[i]);
                xmlCtxtUseOptions(ctxt, XML_PARSE_NONET);
            } else if (xmlParseChunk(ctxt, chunk, n, 0) != 0) {
                fprintf(stderr, "%s: XML error\n", argv[i]);
                return 1;
            }
        }
        if (n < 0) { fprintf(stderr, "%s: gzip error\n", argv[i]); return 1; }
        if (ctxt) {
            if (xmlParseChunk(ctxt, NULL, 0, 1) != 0) { fprintf(stderr, "%s: XML error\n", argv[i]); return 1; }
            xmlFreeParserCtxt(ctxt);
        }
        gzclose(f);
    }
    double seconds = now() - start;
    printf("{\"mode\":\"%s\",\"files\":%d,\"bytes\":%lld,\"elements\":%ld,\"seconds\":%.4f,\"mb_per_s\":%.1f}\n",
           gunzip_only ? "gunzip" : "gunzip+sax", argc - first, bytes, elements, seconds, bytes / 1e6 / seconds);
    return 0;
}
