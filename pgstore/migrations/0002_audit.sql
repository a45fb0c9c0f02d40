-- The county's audit trail (hecha.AuditLog): one log per store scope (a
-- county's code, or '' for a store scoped to the province), its entries
-- by seq as hecha.MarshalAudit writes them, and its head apart.
CREATE TABLE hecha_audit_heads (
	log  text COLLATE "C" PRIMARY KEY,
	seq  bigint NOT NULL,
	hash bytea NOT NULL
);
CREATE TABLE hecha_audit (
	log   text COLLATE "C" NOT NULL,
	seq   bigint NOT NULL,
	entry bytea NOT NULL,
	PRIMARY KEY (log, seq)
);
