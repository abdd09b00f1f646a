/*
 * milenage: 3GPP TS 35.206 MILENAGE f1, f1*, f2-f5 and f5* (AES-128): the
 * authentication functions of the lab HSS and of the USIM that mip4-mn plays.
 * Every function takes OPc (milenage_opc computes it from OP once).
 */
#ifndef MIP4_MILENAGE_H
#define MIP4_MILENAGE_H

#include <stdint.h>

/* OPc = E_K(OP) xor OP.  Returns 0, or -1. */
int milenage_opc(const uint8_t k[16], const uint8_t op[16], uint8_t opc[16]);
/* RES (f2, 8 octets), CK (f3), IK (f4), AK (f5, 6 octets).  Returns 0, or -1. */
int milenage_f2345(const uint8_t k[16], const uint8_t opc[16], const uint8_t rand[16],
                   uint8_t res[8], uint8_t ck[16], uint8_t ik[16], uint8_t ak[6]);

/* MAC-A (f1) and MAC-S (f1*), 8 octets each, over SQN (6 octets) and AMF
 * (2 octets); either output may be NULL.  Returns 0, or -1. */
int milenage_f1(const uint8_t k[16], const uint8_t opc[16], const uint8_t rand[16],
                const uint8_t sqn[6], const uint8_t amf[2], uint8_t mac_a[8], uint8_t mac_s[8]);
/* AK* (f5*, 6 octets), the anonymity key of resynchronisation.  Returns 0, or -1. */
int milenage_f5star(const uint8_t k[16], const uint8_t opc[16], const uint8_t rand[16], uint8_t ak_s[6]);

#endif
