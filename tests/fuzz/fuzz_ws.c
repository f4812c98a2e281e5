/* Websocket frames from the inspector through wslay and memtop's message
 * handler (CDP answers). */
#include "config.h"

#include "actions/inspector.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	int	n;

	inspector_feed(data, len, &n);
	return 0;
}
