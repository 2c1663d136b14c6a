// libxml2's push parser (SAX2) for the .xlsx reader (issue 18): Debian's libxml2-dev.
#include <libxml/xmlversion.h>
// Debian builds libxml2 with ICU, whose headers would then be included and clash with the copy
// Foundation carries (_FoundationICU). Only xmlCharEncodingHandler's layout depends on this, and it
// is never used here but through pointers.
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
