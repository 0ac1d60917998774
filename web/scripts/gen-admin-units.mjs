// Generates the administrative-units pickers' data from the catalogue the server embeds
// (resources/catalogs/administrative-units-2024-06-11.csv), so both read one source:
//   src/generated/admin-units/provinces.json   [{code, name}] of the 63 provinces
//   src/generated/admin-units/<code>.json      {version, districts:[{code, name, communes:[{code, name}]}]}
// The app imports provinces.json and loads one province's file on demand (a hashed chunk).
// Written only when the content changes, so a rebuild does not churn the output.
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const version = '2024-06-11';
const csvPath = join(here, '..', '..', 'resources', 'catalogs', `administrative-units-${version}.csv`);
const outDir = join(here, '..', 'src', 'generated', 'admin-units');

const lines = readFileSync(csvPath, 'utf8').split(/\r?\n/).filter((l) => l.length > 0);
const header = lines.shift().split(',');
const col = (name) => {
  const i = header.indexOf(name);
  if (i < 0) throw new Error(`${csvPath}: no column ${name}`);
  return i;
};
const [pName, pCode, dName, dCode, cName, cCode] = [
  'province_name', 'province_code', 'district_name', 'district_code', 'commune_name', 'commune_code',
].map(col);

/** @type {Map<string, {name: string, districts: Map<string, {name: string, communes: {code: string, name: string}[]}>}>} */
const provinces = new Map();
for (const line of lines) {
  const f = line.split(','); // the catalogue has no quoted fields (checked below)
  if (line.includes('"')) throw new Error(`${csvPath}: quoted fields are not expected: ${line}`);
  let p = provinces.get(f[pCode]);
  if (!p) provinces.set(f[pCode], (p = { name: f[pName], districts: new Map() }));
  let d = p.districts.get(f[dCode]);
  if (!d) p.districts.set(f[dCode], (d = { name: f[dName], communes: [] }));
  if (f[cCode]) d.communes.push({ code: f[cCode], name: f[cName] });
}

function writeIfChanged(path, value) {
  const text = JSON.stringify(value) + '\n';
  if (existsSync(path) && readFileSync(path, 'utf8') === text) return false;
  writeFileSync(path, text);
  return true;
}

mkdirSync(outDir, { recursive: true });
let written = 0;
const list = [...provinces].map(([code, p]) => ({ code, name: p.name }));
written += writeIfChanged(join(outDir, 'provinces.json'), { version, provinces: list });
for (const [code, p] of provinces) {
  const districts = [...p.districts].map(([dc, d]) => ({ code: dc, name: d.name, communes: d.communes }));
  written += writeIfChanged(join(outDir, `${code}.json`), { version, province: code, districts });
}
if (written) console.log(`gen-admin-units: ${provinces.size} provinces from ${csvPath} (${written} files written)`);
