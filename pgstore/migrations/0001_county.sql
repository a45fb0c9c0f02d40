-- The county's data for a whole province: every row carries its county
-- (or its township, whose code begins with the county's). Plain SQL, no
-- extensions. Ids and codes are compared bytewise (COLLATE "C"), as the
-- bbolt store orders its keys.

-- The counties this database serves (SetCounty).
CREATE TABLE hecha_counties (
	county     text COLLATE "C" PRIMARY KEY,
	created_at timestamptz NOT NULL
);

-- The division table and the historic county list, as CSV: name is
-- 'table' or 'historic'. One table serves every county of the database.
CREATE TABLE hecha_divisions (
	name text COLLATE "C" PRIMARY KEY,
	data bytea NOT NULL
);

-- Cases: data is the hecha.Case as JSON; the other columns are the
-- county's bookkeeping and what the filters need. township is the unit's
-- township ('' when undistributed); household the household division.
CREATE TABLE hecha_cases (
	county      text COLLATE "C" NOT NULL,
	id          text COLLATE "C" NOT NULL,
	kind        text COLLATE "C" NOT NULL,
	unit        text COLLATE "C" NOT NULL DEFAULT '',
	township    text COLLATE "C" NOT NULL DEFAULT '',
	household   text COLLATE "C" NOT NULL DEFAULT '',
	status      text COLLATE "C" NOT NULL,
	content_rev integer NOT NULL,
	assign_rev  integer NOT NULL DEFAULT 0,
	import_hash bytea NOT NULL,
	in_force    text COLLATE "C" NOT NULL DEFAULT '',
	data        bytea NOT NULL,
	PRIMARY KEY (county, id)
);
-- The unit filter and the undistributed cases (unit = ''); a status filter
-- walks the primary key, which keeps imports to two indexes.
CREATE INDEX hecha_cases_unit ON hecha_cases (county, unit, id);

-- Results as received (canonical JSON), in the order they were accepted
-- for their case (seq).
CREATE TABLE hecha_results (
	id       text COLLATE "C" PRIMARY KEY,
	county   text COLLATE "C" NOT NULL,
	township text COLLATE "C" NOT NULL,
	case_id  text COLLATE "C" NOT NULL,
	seq      bigserial NOT NULL,
	data     bytea NOT NULL
);
CREATE INDEX hecha_results_case ON hecha_results (county, case_id, seq);

-- The change sequences, one row per township and kind. A writer reserves
-- numbers by updating the row inside its transaction, so the row lock
-- orders the commits of a township's writers: a number is only handed out
-- after every transaction holding a lower one has committed or rolled
-- back, and a reader never sees a higher number without the lower ones.
CREATE TABLE hecha_case_seq (
	township text COLLATE "C" PRIMARY KEY,
	seq      bigint NOT NULL
);
CREATE TABLE hecha_reg_seq (
	township text COLLATE "C" PRIMARY KEY,
	seq      bigint NOT NULL
);

-- A township's case changes: each case once, at its latest number. device
-- and prev_seq record a change made by applying a result that device sent
-- (prev_seq: the case's last change before it the device did not make).
CREATE TABLE hecha_case_changes (
	township text COLLATE "C" NOT NULL,
	case_id  text COLLATE "C" NOT NULL,
	county   text COLLATE "C" NOT NULL,
	seq      bigint NOT NULL,
	device   text COLLATE "C" NOT NULL DEFAULT '',
	prev_seq bigint NOT NULL DEFAULT 0,
	PRIMARY KEY (township, case_id)
);
CREATE UNIQUE INDEX hecha_case_changes_seq ON hecha_case_changes (township, seq);

-- Cases taken from a township that had a result in force.
CREATE TABLE hecha_conflicts (
	township text COLLATE "C" NOT NULL,
	case_id  text COLLATE "C" NOT NULL,
	county   text COLLATE "C" NOT NULL,
	data     bytea NOT NULL,
	PRIMARY KEY (township, case_id)
);

-- The registries: data is the record as JSON; birth is yyyymmdd;
-- township the household's township when it lies in the county, else ''.
CREATE TABLE hecha_floating (
	county     text COLLATE "C" NOT NULL,
	id         text COLLATE "C" NOT NULL,
	citizen_id text COLLATE "C" NOT NULL,
	name       text COLLATE "C" NOT NULL,
	sex        text COLLATE "C" NOT NULL,
	birth      text COLLATE "C" NOT NULL,
	township   text COLLATE "C" NOT NULL,
	data       bytea NOT NULL,
	PRIMARY KEY (county, id)
);
CREATE INDEX hecha_floating_cid ON hecha_floating (county, citizen_id, id);
CREATE INDEX hecha_floating_name ON hecha_floating (county, name, sex, birth, id);
CREATE TABLE hecha_resident (
	county     text COLLATE "C" NOT NULL,
	id         text COLLATE "C" NOT NULL,
	citizen_id text COLLATE "C" NOT NULL,
	name       text COLLATE "C" NOT NULL,
	sex        text COLLATE "C" NOT NULL,
	birth      text COLLATE "C" NOT NULL,
	township   text COLLATE "C" NOT NULL,
	data       bytea NOT NULL,
	PRIMARY KEY (county, id)
);
CREATE INDEX hecha_resident_cid ON hecha_resident (county, citizen_id, id);
CREATE INDEX hecha_resident_name ON hecha_resident (county, name, sex, birth, id);

-- A record (src 'F' or 'R') is a candidate of a township's case.
CREATE TABLE hecha_reg_cand (
	county    text COLLATE "C" NOT NULL,
	src       text COLLATE "C" NOT NULL,
	record_id text COLLATE "C" NOT NULL,
	township  text COLLATE "C" NOT NULL,
	case_id   text COLLATE "C" NOT NULL,
	PRIMARY KEY (county, src, record_id, township, case_id)
);

-- A township's registry extract in change order: each record once.
CREATE TABLE hecha_reg_changes (
	township  text COLLATE "C" NOT NULL,
	src       text COLLATE "C" NOT NULL,
	record_id text COLLATE "C" NOT NULL,
	county    text COLLATE "C" NOT NULL,
	seq       bigint NOT NULL,
	PRIMARY KEY (township, src, record_id)
);
CREATE UNIQUE INDEX hecha_reg_changes_seq ON hecha_reg_changes (township, seq);

-- Township tokens: only the SHA-256 of the secret.
CREATE TABLE hecha_tokens (
	id         text COLLATE "C" PRIMARY KEY,
	county     text COLLATE "C" NOT NULL,
	township   text COLLATE "C" NOT NULL,
	hash       bytea NOT NULL,
	created_at timestamptz NOT NULL,
	revoked_at timestamptz
);

-- The log of result batches; counts is JSON.
CREATE TABLE hecha_batches (
	id       text COLLATE "C" PRIMARY KEY,
	county   text COLLATE "C" NOT NULL,
	township text COLLATE "C" NOT NULL,
	results  integer NOT NULL,
	first_at timestamptz NOT NULL,
	last_at  timestamptz NOT NULL,
	sends    integer NOT NULL,
	counts   bytea NOT NULL
);
