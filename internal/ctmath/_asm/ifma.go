package main

// The AVX-512 IFMA kernel: almost Montgomery multiplication (Gueron and
// Krasnov) on 60 digits of 52 bits, each in a 64-bit lane, padded to 64
// lanes held in eight ZMM registers. VPMADD52LUQ and VPMADD52HUQ add the
// low and the high 52 bits of the 104-bit products of the lanes' low 52
// bits to 64-bit accumulators, which leaves 12 bits of headroom per lane
// for the carries: they are propagated once, at the end.

const (
	digits = 60 // 52-bit digits of a 3072-bit value (60·52 = 3120)
	zregs  = 8  // ZMM registers per value (64 lanes)
)

// acc, aReg and mReg name the accumulator, a's and m's registers. Z14 and
// Z15 stay unused: X15 is the zero register of Go's internal ABI, which
// the ABI wrappers restore, but there is no need to rely on that.
func acc(i int) string  { return zr(i) }
func aReg(i int) string { return zr(16 + i) }
func mReg(i int) string { return zr(24 + i) }

func zr(i int) string { return "Z" + itoa(i) }

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

func ifma(p func(string, ...any)) {
	p("")
	p("// func ammIFMA(z, a, b, m *[64]uint64, k0 uint64)")
	p("// z = a·b·2^-3120 mod m, almost: for a·b < 2^3120·m the result is below")
	p("// 2m. Operands are 60 digits of 52 bits in 64-bit lanes, lanes 60–63 zero;")
	p("// so is z. k0 = −m⁻¹ mod 2^52. z may alias a or b. Requires AVX512F,")
	p("// AVX512IFMA and BMI2.")
	p("//")
	p("// Each of the 60 rounds adds a·b[i] and m·y (y chosen to clear digit 0)")
	p("// to the accumulator and shifts it down one digit. Digit 0 is kept exact")
	p("// in BX (with MULX), so that y does not wait for the vector lanes; the")
	p("// lanes' carries above bit 52 are propagated once, after the loop.")
	p("TEXT ·ammIFMA(SB), NOSPLIT, $0-40")
	p("\tMOVQ z+0(FP), DI")
	p("\tMOVQ a+8(FP), SI")
	p("\tMOVQ b+16(FP), R9")
	p("\tMOVQ m+24(FP), R10")
	p("\tMOVQ k0+32(FP), R11")
	p("\tMOVQ $0xfffffffffffff, R12 // 2^52 − 1")
	p("\tVPBROADCASTQ R12, Z11")
	p("\tVPXORQ Z10, Z10, Z10 // zero")
	for i := 0; i < zregs; i++ {
		p("\tVMOVDQU64 %d(SI), %s", 64*i, aReg(i))
		p("\tVMOVDQU64 %d(R10), %s", 64*i, mReg(i))
		p("\tVPXORQ %s, %s, %s", acc(i), acc(i), acc(i))
	}
	p("\tXORQ BX, BX // digit 0 of the accumulator, exact")
	p("\tMOVQ $%d, CX", digits)
	p("ammLoop:")
	p("\tMOVQ (R9), R13 // b[i]")
	p("\tVPBROADCASTQ R13, Z8")
	p("\tMOVQ (SI), DX // a[0]")
	p("\tMULXQ R13, AX, R8")
	p("\tADDQ AX, BX")
	p("\tADCQ $0, R8 // R8:BX = acc0 + a[0]·b[i]")
	p("\tMOVQ R11, R13")
	p("\tIMULQ BX, R13")
	p("\tANDQ R12, R13 // y = acc0·k0 mod 2^52")
	p("\tVPBROADCASTQ R13, Z9")
	p("\tMOVQ (R10), DX // m[0]")
	p("\tMULXQ R13, AX, DX")
	p("\tADDQ AX, BX")
	p("\tADCQ DX, R8 // R8:BX = acc0 + a[0]·b[i] + m[0]·y, a multiple of 2^52")
	p("\tSHRQ $52, BX")
	p("\tSHLQ $12, R8")
	p("\tORQ R8, BX // its carry into digit 1")
	for i := 0; i < zregs; i++ {
		p("\tVPMADD52LUQ %s, Z8, %s", aReg(i), acc(i))
	}
	for i := 0; i < zregs; i++ {
		p("\tVPMADD52LUQ %s, Z9, %s", mReg(i), acc(i))
	}
	p("\t// Shift down one digit. BX holds the new digit 0: it adds the lane, whose")
	p("\t// later contents are shifted out unused (or replaced by BX at the end).")
	for i := 0; i < zregs-1; i++ {
		p("\tVALIGNQ $1, %s, %s, %s", acc(i), acc(i+1), acc(i))
	}
	p("\tVALIGNQ $1, %s, Z10, %s", acc(zregs-1), acc(zregs-1))
	p("\tVMOVQ X0, AX")
	p("\tADDQ AX, BX")
	p("\t// The high halves belong one digit up: after the shift, at the same lane.")
	for i := 0; i < zregs; i++ {
		p("\tVPMADD52HUQ %s, Z8, %s", aReg(i), acc(i))
	}
	for i := 0; i < zregs; i++ {
		p("\tVPMADD52HUQ %s, Z9, %s", mReg(i), acc(i))
	}
	p("\tADDQ $8, R9")
	p("\tDECQ CX")
	p("\tJNE ammLoop")
	p("\t// Lane 0 := BX.")
	p("\tVPBROADCASTQ BX, Z13")
	p("\tMOVQ $1, AX")
	p("\tKMOVW AX, K1")
	p("\tVMOVDQU64 Z13, K1, Z0")
	normalize(p)
	for i := 0; i < zregs; i++ {
		p("\tVMOVDQU64 %s, %d(DI)", acc(i), 64*i)
	}
	p("\tVZEROUPPER")
	p("\tRET")

	lookupZ(p, "lookupZ48", 6)
	lookupZ(p, "lookupZ64", 8)
}

// normalize propagates the carries of the accumulator lanes (below 2^60)
// so that every lane is below 2^52, without branches: first every lane's
// bits above 52 are added to the next lane, which leaves lanes below
// 2^52 + 2^12; then the carries of one that this can still cause, which
// ripple through lanes equal to 2^52 − 1, are found with the addition
// ((G << 1) + P) ^ P on 64-bit masks of the lanes that generate (G, above
// 2^52 − 1) and propagate (P, equal to it) a carry, and added under that
// mask. Uses a's registers for the carries.
func normalize(p func(string, ...any)) {
	p("\t// Normalize: carries above bit 52 to the next lane.")
	for i := 0; i < zregs; i++ {
		p("\tVPSRLQ $52, %s, %s", acc(i), aReg(i))
		p("\tVPANDQ Z11, %s, %s", acc(i), acc(i))
	}
	for i := zregs - 1; i > 0; i-- {
		p("\tVALIGNQ $7, %s, %s, %s", aReg(i-1), aReg(i), aReg(i))
	}
	p("\tVALIGNQ $7, Z10, %s, %s", aReg(0), aReg(0))
	for i := 0; i < zregs; i++ {
		p("\tVPADDQ %s, %s, %s", aReg(i), acc(i), acc(i))
	}
	p("\t// Second carries: G in AX (lanes above 2^52 − 1), P in BX (equal).")
	p("\tXORQ AX, AX")
	p("\tXORQ BX, BX")
	for i := zregs - 1; i >= 0; i-- {
		p("\tVPCMPUQ $6, Z11, %s, K1", acc(i))
		p("\tVPCMPUQ $0, Z11, %s, K2", acc(i))
		p("\tKMOVW K1, DX")
		p("\tKMOVW K2, R8")
		p("\tSHLQ $8, AX")
		p("\tSHLQ $8, BX")
		p("\tORQ DX, AX")
		p("\tORQ R8, BX")
	}
	p("\tSHLQ $1, AX")
	p("\tADDQ BX, AX")
	p("\tXORQ BX, AX // lanes that receive a carry")
	p("\tMOVQ $1, DX")
	p("\tVPBROADCASTQ DX, Z12")
	for i := 0; i < zregs; i++ {
		p("\tKMOVW AX, K1")
		p("\tVPADDQ Z12, %s, K1, %s", acc(i), acc(i))
		p("\tVPANDQ Z11, %s, %s", acc(i), acc(i))
		if i < zregs-1 {
			p("\tSHRQ $8, AX")
		}
	}
}

// lookupZ emits name(z, table *uint64, n int, k uint64): z = table[k], for
// entries of 8·regs words, reading all n entries and selecting with masks.
func lookupZ(p func(string, ...any), name string, regs int) {
	p("")
	p("// func %s(z, table *uint64, n int, k uint64)", name)
	p("// z[0:%d] = table[k·%d:(k+1)·%d], reading all n entries of the table and", 8*regs, 8*regs, 8*regs)
	p("// selecting with a mask: neither the memory accessed nor the branches")
	p("// depend on k. Requires AVX512F.")
	p("TEXT ·%s(SB), NOSPLIT, $0-32", name)
	p("\tMOVQ z+0(FP), DI")
	p("\tMOVQ table+8(FP), SI")
	p("\tMOVQ n+16(FP), CX")
	p("\tMOVQ k+24(FP), DX")
	for i := 0; i < regs; i++ {
		p("\tVPXORQ %s, %s, %s", zr(i), zr(i), zr(i))
	}
	p("\tXORQ AX, AX // entry index")
	p("%sLoop:", name)
	p("\tMOVQ AX, BX")
	p("\tXORQ DX, BX")
	p("\tMOVQ BX, R8")
	p("\tNEGQ R8")
	p("\tORQ R8, BX")
	p("\tSHRQ $63, BX")
	p("\tDECQ BX // all ones when AX == k")
	p("\tVPBROADCASTQ BX, Z%d", regs)
	for i := 0; i < regs; i++ {
		p("\tVPANDQ %d(SI), Z%d, Z%d", 64*i, regs, regs+1)
		p("\tVPORQ Z%d, %s, %s", regs+1, zr(i), zr(i))
	}
	p("\tADDQ $%d, SI", 64*regs)
	p("\tINCQ AX")
	p("\tCMPQ AX, CX")
	p("\tJNE %sLoop", name)
	for i := 0; i < regs; i++ {
		p("\tVMOVDQU64 %s, %d(DI)", zr(i), 64*i)
	}
	p("\tVZEROUPPER")
	p("\tRET")
}
