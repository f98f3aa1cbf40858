// Debian's libxml2 is built with ICU; importing its ICU types next to Foundation breaks cold
// debug builds ("'UErrorCode' has different definitions"). We never use libxml2's ICU encoders.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlerror.h>
