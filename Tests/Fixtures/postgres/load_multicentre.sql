-- The multi-centre example (issue 17, Datasets/multicentre, SYNTHETIC) as per-centre databases,
-- loaded by scripts/postgres: psql -v csv=FILE -v centre=X -f load_multicentre.sql. Database mc_x
-- holds centre X's rows of Datasets/multicentre/cohort.csv in table cohort; centre ALL (database
-- cohort, table multicentre) holds every row. Column types as the codebook declares.
CREATE TABLE incoming (
    patient_id integer PRIMARY KEY,
    centre text NOT NULL,
    age integer,
    sex text,
    disease text,
    product text,
    crs_grade integer,
    icans_grade integer,
    plt_baseline integer,
    fibrinogen_nadir double precision,
    prophylaxis integer,
    fibrinogen_replaced integer,
    bleeding integer,
    bleeding_day integer,
    thrombosis integer,
    thrombosis_day integer,
    death_day integer,
    last_followup_day integer
);
COPY incoming FROM :'csv' WITH (FORMAT csv, HEADER true);
DELETE FROM incoming WHERE :'centre' <> 'ALL' AND centre <> :'centre';
ALTER TABLE incoming RENAME TO :"table";
ANALYZE;
