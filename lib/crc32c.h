/*
 * crc32c: CRC-32C (Castagnoli, the iSCSI/ext4 polynomial 0x1EDC6F41, reflected),
 * slice-by-8.  Guards records on disk against truncation and bit rot; not a MAC.
 */
#ifndef MIP4_CRC32C_H
#define MIP4_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/* Continue crc over buf (start with 0).  crc32c("123456789") = 0xE3069283. */
uint32_t crc32c(uint32_t crc, const void *buf, size_t len);

#endif
