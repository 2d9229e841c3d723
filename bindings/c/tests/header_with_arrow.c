/*
 * qcc_radar.h beside another header of the Arrow C data and stream interfaces (nanoarrow.h,
 * arrow/c/abi.h), in either include order: both declare the structs under the standard guards,
 * so whichever comes second declares nothing. `make header-check` compiles this with and
 * without ARROW_FIRST, as C and C++.
 */
#include <stdint.h>

#ifdef ARROW_FIRST
#include "arrow_abi_copy.h"
#include <qcc_radar.h>
#else
#include <qcc_radar.h>
#include "arrow_abi_copy.h"
#endif

int main(void) {
  struct ArrowArrayStream stream = {0, 0, 0, 0, 0};
  enum qcc_radar_status status = qcc_radar_tables_stream(NULL, 0, &stream, NULL);
  return status == QCC_RADAR_STATUS_CONFIG && stream.release == NULL ? 0 : 1;
}
