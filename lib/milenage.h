/*
 * milenage: 3GPP TS 35.206 MILENAGE f2-f5 (AES-128), for lab bootstrap stores
 * that hold K and OP instead of precomputed CK and IK.
 */
#ifndef MIP4_MILENAGE_H
#define MIP4_MILENAGE_H

#include <stdint.h>

/* OPc = E_K(OP) xor OP.  Returns 0, or -1. */
int milenage_opc(const uint8_t k[16], const uint8_t op[16], uint8_t opc[16]);
/* RES (f2, 8 octets), CK (f3), IK (f4), AK (f5, 6 octets).  Returns 0, or -1. */
int milenage_f2345(const uint8_t k[16], const uint8_t opc[16], const uint8_t rand[16],
                   uint8_t res[8], uint8_t ck[16], uint8_t ik[16], uint8_t ak[6]);

#endif
