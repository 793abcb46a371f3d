// The three fact tables with the stored (summed) measures of model/*.json and the ratio
// measures that are plain ratios of sums (mean pay, mean hours). The derived figures that
// need lookup tables (medians, deciles, pay at an age, job openings) are computed by the
// engine after the GROUP BY; Cube is asked for the same sums, grouped the same way.
// Hierarchy levels are dimensions of the joined dim_* cubes (dimensions.js).

cube('ashe_pay', {
  sql_table: 'fact_ashe_pay',
  joins: {
    occupation: { relationship: 'many_to_one', sql: `${CUBE}.occupation = ${occupation}.soc4` },
    industry: { relationship: 'many_to_one', sql: `${CUBE}.industry = ${industry}.ind75` },
    region: { relationship: 'many_to_one', sql: `${CUBE}.region = ${region}.region` },
    qualification: { relationship: 'many_to_one', sql: `${CUBE}.qualification = ${qualification}.qualification` },
  },
  dimensions: {
    // the fact key (a composite primary key, which Cube requires of a cube with joins)
    year: { sql: `${CUBE}.year`, type: 'number', primary_key: true, public: true },
    gender: { sql: `${CUBE}.gender`, type: 'number', primary_key: true, public: true },
    status: { sql: `${CUBE}.status`, type: 'number', primary_key: true, public: true },
    industry_key: { sql: `${CUBE}.industry`, type: 'number', primary_key: true },
    occupation_key: { sql: `${CUBE}.occupation`, type: 'number', primary_key: true },
    region_key: { sql: `${CUBE}.region`, type: 'number', primary_key: true },
    qualification_key: { sql: `${CUBE}.qualification`, type: 'number', primary_key: true },
  },
  measures: {
    employment: { sql: `${CUBE}.employment`, type: 'sum' },
    paybill: { sql: `${CUBE}.paybill`, type: 'sum' },
    mean_pay: { sql: `${paybill} / ${employment}`, type: 'number' },
  },
});

cube('ashe_hours', {
  sql_table: 'fact_ashe_hours',
  joins: {
    occupation: { relationship: 'many_to_one', sql: `${CUBE}.occupation = ${occupation}.soc4` },
    industry: { relationship: 'many_to_one', sql: `${CUBE}.industry = ${industry}.ind75` },
    region: { relationship: 'many_to_one', sql: `${CUBE}.region = ${region}.region` },
  },
  dimensions: {
    // the fact key (a composite primary key, which Cube requires of a cube with joins)
    year: { sql: `${CUBE}.year`, type: 'number', primary_key: true, public: true },
    gender: { sql: `${CUBE}.gender`, type: 'number', primary_key: true, public: true },
    status: { sql: `${CUBE}.status`, type: 'number', primary_key: true, public: true },
    industry_key: { sql: `${CUBE}.industry`, type: 'number', primary_key: true },
    occupation_key: { sql: `${CUBE}.occupation`, type: 'number', primary_key: true },
    region_key: { sql: `${CUBE}.region`, type: 'number', primary_key: true },
  },
  measures: {
    employment: { sql: `${CUBE}.employment`, type: 'sum' },
    total_hours: { sql: `${CUBE}.total_hours`, type: 'sum' },
    mean_hours: { sql: `${total_hours} / ${employment}`, type: 'number' },
  },
});

cube('working_futures', {
  sql_table: 'fact_wf_employment',
  joins: {
    occupation: { relationship: 'many_to_one', sql: `${CUBE}.occupation = ${occupation}.soc4` },
    industry: { relationship: 'many_to_one', sql: `${CUBE}.industry = ${industry}.ind75` },
    region: { relationship: 'many_to_one', sql: `${CUBE}.region = ${region}.region` },
    qualification: { relationship: 'many_to_one', sql: `${CUBE}.qualification = ${qualification}.qualification` },
  },
  dimensions: {
    // the fact key (a composite primary key, which Cube requires of a cube with joins)
    year: { sql: `${CUBE}.year`, type: 'number', primary_key: true, public: true },
    gender: { sql: `${CUBE}.gender`, type: 'number', primary_key: true, public: true },
    status: { sql: `${CUBE}.status`, type: 'number', primary_key: true, public: true },
    industry_key: { sql: `${CUBE}.industry`, type: 'number', primary_key: true },
    occupation_key: { sql: `${CUBE}.occupation`, type: 'number', primary_key: true },
    region_key: { sql: `${CUBE}.region`, type: 'number', primary_key: true },
    qualification_key: { sql: `${CUBE}.qualification`, type: 'number', primary_key: true },
  },
  measures: {
    employment: { sql: `${CUBE}.employment`, type: 'sum' },
  },
});
