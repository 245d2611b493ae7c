/*
 * route_openapi.c - api/openapi.json, the API's OpenAPI 3.1 document,
 * built into the binary as sf_openapi_json (a NUL-terminated string), so
 * sf serve serves exactly the document in the repository.
 */
__asm__(".section .rodata\n"
	".global sf_openapi_json\n"
	".type sf_openapi_json, @object\n"
	"sf_openapi_json:\n"
	".incbin \"api/openapi.json\"\n"
	".byte 0\n"
	".size sf_openapi_json, . - sf_openapi_json\n"
	".previous\n");
