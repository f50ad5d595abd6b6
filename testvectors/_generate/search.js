'use strict';

// --search: for every recipe that varies a seed, find the smallest seed
// index whose inputs have all the wanted properties, using the fast model
// (derive.js, model.js). Normal runs then check the same properties with
// the reference client's own results.

const D = require('./derive');
const F = require('./flags');

const LIMIT = 100000;

function found(recipe, idx) {
	const r = { ...recipe, seedIndex: idx };
	switch (recipe.kind) {
		case 'claim': {
			const m = D.claimModel(r);
			return (recipe.want || []).every(f => F.holds('password_claim', f, m));
		}
		case 'server': {
			const m = D.serverModel(r);
			return (recipe.want || []).every(f => F.holds('server', f, m));
		}
		case 'device': {
			const m = D.deviceModel(r);
			return (
				(recipe.wantVerifier || []).every(f => F.holds('device_verifier', f, m)) &&
				(recipe.wantDevice || []).every(f => F.holds('password_claim', f, m))
			);
		}
		default:
			throw new Error(`${recipe.id}: cannot search a ${recipe.kind}`);
	}
}

function search(recipes, log) {
	const table = {};
	for (const r of recipes) {
		if (!r.vary) continue;
		const t0 = Date.now();
		let idx = 0;
		while (!found(r, idx)) {
			if (++idx > LIMIT) throw new Error(`${r.id}: nothing found in ${LIMIT} tries`);
		}
		table[r.id] = idx;
		log(`${r.id}: ${idx} (${Date.now() - t0} ms)`);
	}
	return table;
}

module.exports = { search };
