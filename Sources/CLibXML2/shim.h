// Debian's libxml2 is built with ICU; importing its ICU types next to Foundation breaks cold
// debug builds ("'UErrorCode' has different definitions"). We never use libxml2's ICU encoders.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlerror.h>

// libxml2 2.9 prints some errors through its generic handler (xmlParseChunk's "encoder error" on
// bytes invalid in the declared encoding), whose type is variadic: Swift cannot write one, so the
// silent handler and its setter live here.
static inline void divide_ignore_generic_error(void *context, const char *message, ...) {
    (void)context;
    (void)message;
}
static inline void divide_silence_generic_errors(void) { xmlSetGenericErrorFunc(NULL, divide_ignore_generic_error); }
