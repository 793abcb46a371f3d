// The shared dimension tables of the warehouse (dim_*), one cube each; the fact cubes in
// facts.js join them many-to-one on the leaf key, as the engine does. Levels are the
// hierarchy levels of model/dimensions.json, by key. (JavaScript rather than YAML: Cube
// compiles YAML models only with its native module; see benchmarks/cube_peer.py.)

cube('occupation', {
  sql_table: 'dim_occupation',
  dimensions: {
    soc4: { sql: `${CUBE}.soc4`, type: 'number', primary_key: true, public: true },
    soc3: { sql: `${CUBE}.soc3`, type: 'number' },
    soc2: { sql: `${CUBE}.soc2`, type: 'number' },
    soc1: { sql: `${CUBE}.soc1`, type: 'number' },
  },
});

cube('industry', {
  sql_table: 'dim_industry',
  dimensions: {
    ind75: { sql: `${CUBE}.ind75`, type: 'number', primary_key: true, public: true },
    ind22: { sql: `${CUBE}.ind22`, type: 'number' },
    sector6: { sql: `${CUBE}.sector6`, type: 'number' },
  },
});

cube('region', {
  sql_table: 'dim_region',
  dimensions: {
    region: { sql: `${CUBE}.region`, type: 'number', primary_key: true, public: true },
    nation: { sql: `${CUBE}.nation`, type: 'number' },
    uk: { sql: `${CUBE}.uk`, type: 'number' },
  },
});

cube('qualification', {
  sql_table: 'dim_qualification',
  dimensions: {
    qualification: { sql: `${CUBE}.qualification`, type: 'number', primary_key: true, public: true },
    nqf6: { sql: `${CUBE}.nqf6`, type: 'number' },
    broad3: { sql: `${CUBE}.broad3`, type: 'number' },
  },
});
