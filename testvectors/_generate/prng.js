'use strict';

// The generator's only source of "randomness": SHA-256 in counter mode over
// a seed string. Block i of the stream for seed s is
//
//	SHA-256(UTF-8(s) || uint32_be(i)),  i = 0, 1, 2, ...
//
// and the stream is the concatenation of the blocks. Every random-looking
// value in the vectors (the client's a, the server's b, salts, secret
// blocks, device passwords) is a prefix of the stream of a seed recorded in
// cases.js, so anybody can recompute it.

const crypto = require('crypto');

class Stream {
	constructor(seed) {
		if (typeof seed !== 'string' || seed === '') {
			throw new Error(`prng: bad seed ${JSON.stringify(seed)}`);
		}
		this.seed = seed;
		this.counter = 0;
		this.buf = Buffer.alloc(0);
	}

	bytes(n) {
		while (this.buf.length < n) {
			const ctr = Buffer.alloc(4);
			ctr.writeUInt32BE(this.counter++, 0);
			const block = crypto
				.createHash('sha256')
				.update(Buffer.from(this.seed, 'utf8'))
				.update(ctr)
				.digest();
			this.buf = Buffer.concat([this.buf, block]);
		}
		const out = this.buf.subarray(0, n);
		this.buf = this.buf.subarray(n);
		return Buffer.from(out);
	}
}

// streamBytes returns the first n bytes of the stream of seed.
function streamBytes(seed, n) {
	return new Stream(seed).bytes(n);
}

module.exports = { Stream, streamBytes };
