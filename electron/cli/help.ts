export const MAIN_HELP = `concord: the Concord workstation's command line

Usage: concord <command> [options]

Commands:
  import <path>   copy every DICOM instance under a CD, DVD, USB stick, folder or file into the library
  studies         list the studies in the library
  verify          check that every indexed instance is in the store with its recorded hash
  patients        list local patients with their outside identities and studies
  reconcile       review link proposals between outside identities: accept, reject, undo
  unfiled         list instances stored without a study (no Study or Series Instance UID)
  file <uid>      file an unfiled instance into a study (--study UID) or a new one (--new-study)
  hang <uid>      show how a study hangs: the protocol, stage, prior and every cell's image
  protocols       list, export, import and delete hanging protocols
  reports         list the second-opinion reports with their status, verdict and assessments
  report          create a report from JSON, show, sign or export it (create, show, sign, export)
  readers         list reader profiles, or add one (readers add)
  concordance     the concordance overview: verdict counts and rates, category matrix, months
  serve           run Concord in a web browser: the loopback browser host
  backup          copy the library, while in use, into a backup folder (--to DIR); incremental
  restore         put a backup (--from DIR) back as the library; keeps signed reports unless --force
  help [command]  show help for a command

Options shared by all commands:
  --library DIR   use the library in DIR (default: $CONCORD_LIBRARY, else the per-user library
                  in the application data folder)
  --help          show help

Run 'concord <command> --help' for the JSON each command prints.
`;

export const IMPORT_HELP = `Usage: concord import <path> [--library DIR] [--json] [--progress] [--yes]

Copies every DICOM instance found under <path> (a mount point, a folder or one file) into the
library's store, as received, and indexes it. Reads the DICOMDIR when there is one and also finds
files it does not list. Every file ends in one outcome:
  imported            copied and indexed
  already-present     the same SOP Instance UID with the same content (or differing only in file meta
                      information or transfer syntax) is already in the library
  conflict            the SOP Instance UID is in the library with different content: kept aside, not merged
  media-directory     a DICOMDIR, read for the list of files the media should hold
  missing             named by a DICOMDIR but not on the media
  not-dicom           not a DICOM file (viewer programs, autorun files, text, ...)
  truncated           an element runs past the end of the file
  unreadable          the file or its header cannot be read (the reason says why)
  no-sop-instance-uid a DICOM dataset without SOP Instance UID (0008,0018)
  unfiled             stored as received, but it has no Study or Series Instance UID (0020,000D/E):
                      listed by 'concord unfiled' until a person files it ('concord file')
Instances that are not images are imported, indexed and listed: outside reports (text SR, PDF,
scanned report pages: they open beside the images), other SR and PDF documents (they open in the
viewer as documents) and what Concord does not display (RT, waveforms, private classes).

A relative <path> is taken from the current folder. A path that does not exist, cannot be read,
or is not a folder or a file (a pipe, a device) is refused before the import starts. A source in
which no file is DICOM (an empty folder, the wrong folder) ends as "no-dicom", not "completed".
A folder that is clearly not a medium (a home folder or above, or 10,000 files or more without a
DICOMDIR) is refused unless --yes says to import it anyway.

Ctrl-C cancels: what was copied so far is committed, the rest is left for a later run.
Exit status: 0 when the import ran (even with per-file problems); 1 when it could not run (the
path does not exist or cannot be read, is not a medium and --yes was not given, the library cannot
be opened, the import failed); 2 for a usage error; 3 when it ran but no file under <path> is
DICOM; 130 when cancelled.

--json prints one JSON object. When the import could not start because of its path:
  error              {code: "source-not-found" | "source-unreadable", message, path}, or
                     {code: "source-not-medium", message, path, reasons} without --yes
  library            string, the library folder
Otherwise:
  sessionId          number, the import session in the library
  source             string, the absolute path imported
  status             "completed" | "no-dicom" | "cancelled" | "interrupted" | "failed"
  statusReason       string | null, why it did not complete, or for "no-dicom" how many files were
                     examined: "No DICOM files were found in <path>: N files examined, none is DICOM"
  startedAt, finishedAt  ISO 8601 times; durationMs number
  filesSeen          number of files found under the path
  counts             object: one number per outcome above
  bytesImported      number of bytes copied into the store
  problems           array of {path, outcome, reason, sopInstanceUid, sopClassUid, objectKind, bytes,
                     notes} for every file not taken in (missing, not-dicom, truncated, unreadable,
                     no-sop-instance-uid); notes is [{quirk, detail}], empty unless the file was read
                     through quirks
  conflicts          array of the same shape, for conflicts (an instance whose identifying attribute
                     appears twice with different values is kept aside here: "identity is ambiguous")
  quirked            array of the same shape, for files read through quirks (un-sequence-explicit-items,
                     pixel-data-delimiter-missing, command-group-elements, sequence-delimiter-ends-item,
                     odd-value-length, duplicate-element), each note naming one
  unfiled            array of the same shape, for unfiled instances (the reason names what is missing)
  nonImageInstances  array of the same shape, for imported instances that are not images
  outsideReports     array of the same shape, for the outside reports among them (and scanned report
                     pages): "outside report found: opens beside the images"
  earlierImports     array of {sessionId, source, startedAt, instances}: the earlier imports that
                     brought the instances found already present
  possibleMatches    array of {proposalId, localPatientId, patientName, patientId}: link proposals
                     this import made (review them with concord reconcile)
  studies            array of {studyInstanceUid, patientName, patientId, studyDate, studyDescription,
                     modalities, instances} for the studies this import touched
  library            string, the library folder
  peakRssBytes       number, the importing process's peak resident memory

--progress prints progress as JSON lines on standard error: {sessionId, phase, filesFound,
filesProcessed, instancesImported, bytesTotal, bytesProcessed, bytesPerSecond, secondsLeft}.

Environment: CONCORD_LIBRARY (library folder); CONCORD_IMPORT_BATCH_FILES (files per durable batch,
default 256: each batch is fsynced, then its index rows are committed in one transaction).
`;

export const STUDIES_HELP = `Usage: concord studies [--library DIR] [--search TEXT] [--json]

Lists the studies in the library, newest first. --search matches names in any character set,
patient IDs, accession numbers and descriptions.

--json prints one JSON object: {library, studies: [...]}, each study with
  studyInstanceUid, patientName, patientId, issuerOfPatientId, patientBirthDate, patientSex,
  studyDate, studyTime, accessionNumber, studyDescription, modalities (array), seriesCount,
  instanceCount, nonImageInstanceCount, localPatientId and localPatientName (the local patient the
  study's identity belongs to; see concord patients), openProposals (open link proposals for the
  study's identity: not yet reconciled), reportStatus ("unread" | "draft" | "signed" | "amended": the
  study's second-opinion report) and verdict ("concordant" | "minor" | "major" | null: its confirmed
  concordance verdict). patientName and the other patient values are as received.
`;

export const VERIFY_HELP = `Usage: concord verify [--library DIR] [--json]

Re-reads every file in the store and checks it against the index: each indexed instance (and each
conflict kept aside, and each unfiled instance) must be present with its recorded SHA-256; no store file may be unreferenced;
no partial copy may remain; the database must pass PRAGMA integrity_check and foreign_key_check.
Exit status 0 when all is well, 1 when anything is wrong.

--json prints one JSON object: {library, ok, schemaVersion, integrityCheck, foreignKeyViolations,
instancesChecked, conflictsChecked, unfiledChecked, problems: [{kind: "missing" | "corrupted", table, sopInstanceUid,
storeKey, detail}], orphans: [storeKey], temporaries: [name], journalEntries}.
`;

export const SERVE_HELP = `Usage: concord serve [--library DIR] [--port N]

Serves Concord to a web browser on this machine: the app and its API on 127.0.0.1 only, protected
by a random token made for this run. Prints one line, the address to open (it carries the token),
and runs until stopped (Ctrl-C). --port 0 (the default) picks a free port.

Use it where the desktop app is not installed; it works on the same library. It serves the app's
page built by \`npm install\` (or \`npm run build\`); CONCORD_RENDERER_DIR names another build of it.
`;

export const PATIENTS_HELP = `Usage: concord patients [--library DIR] [--json]

Lists the library's local patients. An outside identity (patient ID with its issuer, name, birth
date and sex, exactly as received) belongs to one local patient; one that was never linked to
another is a patient of its own. Identities are linked only by a person (concord reconcile).
A patient's name, birth date and sex are those of its first identity.

--json prints one JSON object: {library, patients: [...]}, each patient with
  id           number, the local patient (used by concord reconcile undo)
  name, birthDate, sex
  identities   array of {id (the identity's number), localPatientId, patientId, issuer, name,
               birthDate, sex, facilities (Institution Names of its studies), imports: [{sessionId,
               source, startedAt}]}, the values as received
  studies      array of {studyInstanceUid, studyDate, studyTime, modalities, facility,
               studyDescription, identityId, importedBy: {sessionId, source, startedAt} | null},
               oldest first, across every identity
`;

export const RECONCILE_HELP = `Usage: concord reconcile [--library DIR] [--json]
       concord reconcile accept <proposal> [--by NAME] [--json]
       concord reconcile reject <proposal> [--by NAME] [--json]
       concord reconcile undo <patient> <identity> [--by NAME] [--json]

Concord never joins two outside identities by itself: it proposes links, and a person decides.
After every import, and whenever this command lists them, it compares identities that share a
birth date: names after normalisation (case, accents, PN component order and empty components,
alphabetic, ideographic and phonetic groups, German umlauts written out), sex, patient ID with its
issuer. The same name with another birth date or sex is never proposed.

  (no action)  compares the identities again, then lists the open proposals with their evidence
  accept N     the two identities of proposal N become one local patient (the older number stays)
  reject N     proposal N is closed; the pair is never proposed again
  undo P I     identity I (its number from concord patients) leaves local patient P and becomes a
               patient of its own; the accepted link is not proposed again

Every accept, reject and undo is recorded with who (--by NAME, else the operating system's user
name) and when. Exit status: 0 when done; 1 when the proposal, patient or identity does not exist
or the proposal was already decided; 2 for a usage error.

--json prints one JSON object. Listing: {library, proposals: [{id, status, identities: [as in
concord patients], evidence: [{attribute: "name" | "birthDate" | "sex" | "patientId" | "issuer" |
"otherPatientIds", values: [first, second], agrees: true | false | null, note}], createdAt,
decidedAt, decidedBy}]}; agrees null means the attribute says nothing either way (not recorded in
both, IDs from different issuers, Other Patient IDs not indexed for an identity imported before
they were read). accept: {proposalId, status,
localPatientId, by}; reject: {proposalId, status, by}; undo: {patientId, identityId, status,
localPatientId (the identity's new patient), by}; a refusal: {error: {code, message}}.
`;

export const UNFILED_HELP = `Usage: concord unfiled [--library DIR] [--json]

Lists the instances that are stored but in no study: their file has no Study Instance UID or no
Series Instance UID, so Concord keeps them (byte for byte, like every instance) and waits for a
person to file them with 'concord file'. Concord never guesses their study.

--json prints one JSON object: {library, unfiled: [...]}, each with
  sopInstanceUid, reason, patientId, patientName,
  studyInstanceUid   string | null (null when the file has none)
  seriesInstanceUid  string | null (null when the file has none)
  modality, importSessionId, source (the file's path on the imported media).
`;

export const FILE_HELP = `Usage: concord file <SOP Instance UID> (--study <Study Instance UID> | --new-study)
                    [--other-patient] [--library DIR] [--json]

Files one unfiled instance (see 'concord unfiled'). The stored file is never rewritten: the
library's index places the instance in the study and records who filed it and when.
  --study UID      into that study, which must be in the library (or be the study the file itself
                   names, when only its Series Instance UID is missing)
  --new-study      into a new study; Concord makes its Study Instance UID under 2.25 (from a random
                   UUID), unless the file names its own study, which is then used
A file's missing Series Instance UID is made the same way (a new series); a series the file names
is kept. A UID the file carries is never contradicted: filing it elsewhere is refused.

A study whose patient identity (ID, issuer, name, birth date, sex) differs from the instance's is
refused with the reason; --other-patient confirms filing it there anyway (recorded as confirmed).

Exit status 0 when filed; 1 when refused (nothing changed); 2 for a usage error.
--json prints {library, filed: {sopInstanceUid, studyInstanceUid, seriesInstanceUid, studyCreated,
studyUidGenerated, seriesCreated, seriesUidGenerated, otherPatientConfirmed, filedBy, filedAt}}, or
when refused {library, error: {code, message}} with code "unknown-instance" | "not-unfiled" |
"unknown-study" | "other-patient" | "contradicts-file".
`;

export const HANG_HELP = `Usage: concord hang <Study Instance UID> [--prior UID] [--stage N] [--protocol ID]
                   [--library DIR] [--json]

Resolves the hanging of a study as the viewer would: the best matching protocol (or --protocol),
its first stage in the reader's order (or --stage N, counted from 1), and the default prior from
the same local patient's earlier studies, under every linked identity (or --prior UID). Prints,
per cell: slot, role (current or prior), label, image (SOP Instance UID), flips and rotation, what
was inferred, and why a cell is empty; then the prior that was chosen and why.

MR series values are read from the store for studies indexed before Concord kept them (once), and
the chest-wall side of a breast projection without Patient Orientation is found from its pixels
(once, then kept in the library); what could not be read is reported on standard error.

Exit status: 0 when resolved; 1 when the library has no such study or the study cannot be hung;
2 for a usage error (a stage number that is not a whole number from 1, or beyond the protocol's
stages; a malformed UID or protocol id).

--json prints the resolved layout as one JSON object. Support staff rely on these fields:
  protocol   {id, name}
  stage      {id, number (from 1), name, count}
  prior      {studyInstanceUid, studyDate, facility, reason} | null
  slots      array of {slot (vp-0, vp-1, ... left to right, top to bottom), role, sopInstanceUid,
             laterality, view, flipHorizontal, flipVertical, rotation (degrees clockwise),
             inferred (array of what was inferred), rules (the rules that fired), empty (why the
             cell is empty, or null), and label, seriesRole, phase, scaling, warnings ...}
and also stages, grid, priors, syncGroups, additional, candidates and warnings.
`;

export const PROTOCOLS_HELP = `Usage: concord protocols [--library DIR] [--json]
       concord protocols export <id> [--library DIR]
       concord protocols import <file.json> [--library DIR] [--json]
       concord protocols delete <id> [--library DIR] [--json]

Hanging protocols: the factory protocols shipped with Concord, then this workstation's own (user)
protocols in the reader's order. User protocols live in the library, so they survive restarts and
are shared by the app, the browser host and the command line.

  (no action)  lists them: level, id, name, stages
  export       prints one protocol's definition as JSON (factory or user), to edit and import
  import       checks a definition (level "user", an id no factory protocol has) and saves it,
               replacing the user protocol of the same id or adding it at the end of the order
  delete       deletes a user protocol (factory protocols cannot be deleted)

Exit status: 0 when done; 1 when the protocol does not exist, the file cannot be read or its
definition is not valid (the problems are named); 2 for a usage error.

--json prints one JSON object: listing {library, protocols: [definition...], preferences};
import {library, protocol}; delete {library, deleted: id}; on failure {library, error: {code, message}}.
`;

export const REPORTS_HELP = `Usage: concord reports [--study UID] [--library DIR] [--json]

Lists the second-opinion reports (one per study), newest first; --study lists that study's only.

--json prints one JSON object: {library, reports: [...]}, each report with
  id                       number, the report (used by concord report)
  studyInstanceUid         string
  status                   "draft" | "signed" | "amended" (amended: signed, with signed addenda)
  verdict                  "concordant" | "minor" | "major" | null: the radiologist's confirmed verdict
  outsideAssessment        BI-RADS category of the outside report ("0" to "6", "4A", "4B", "4C") or null
  secondOpinionAssessment  BI-RADS category of the second opinion, or null
  proposedVerdict          what Concord's rules propose: "concordant" | "minor" | "major" | "indeterminate"
  communicationOutstanding true for a major discordance whose communication is not documented
  revision, patientName, patientId, studyDate, createdAt, updatedAt, signedAt
`;

export const REPORT_HELP = `Usage: concord report create --study <Study Instance UID> --from F.json [--library DIR] [--json]
       concord report show <report> [--json]
       concord report sign <report> --reader <profile> [--json]
       concord report export <report> [--pdf F] [--sr F] [--encapsulated-pdf F] [--text F] [--json]

  create   writes a draft report for the study from F.json, a report in the API's own schema (the
           README documents it with a complete example), and prints the new report's number.
           The concordance proposal is computed from the two readings, whatever F.json says.
           Refused when the study is not in the library, already has a report, or F.json is not valid.
  show     prints the report, recorded as opened in its audit trail (--json: {library, report}
           with content, signature, addenda, communication, outcomes and exports).
  sign     signs the draft with a reader profile (concord readers); the concordance verdict must be
           confirmed. From then on its content never changes: later changes are signed addenda.
  export   writes a signed report's exports: --pdf (for the referring physician and the patient),
           --sr (DICOM SR), --encapsulated-pdf (DICOM Encapsulated PDF), --text (plain text). The SR
           and the Encapsulated PDF are also written into the library as part of the study (new UIDs).

Every step is recorded in the report's audit trail with the operating system's user and the
reader profile. Exit status 0 when done; 1 when refused (the reason is printed; with --json as
{error: {code, message}}); 2 for a usage error.
`;

export const READERS_HELP = `Usage: concord readers [--library DIR] [--json]
       concord readers add --id ID --name NAME [--credentials C] [--signature-line S]
                           [--institution I] [--json]

Reader profiles sign reports. ID is lower-case letters, digits and hyphens; the signature line
defaults to "NAME, C". The institution is the reading centre: the exported SR names it as the
verifying organisation. Adding an existing ID edits that profile. A signature keeps the name,
credentials and institution it was made with: editing a profile later never changes a signed report.

--json prints {library, profiles: [{id, name, credentials, signatureLine, institution}]}, or for add
{library, profile}.
`;

export const CONCORDANCE_HELP = `Usage: concord concordance [--by modality|facility|period] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
                           [--reader ID] [--json | --csv] [--library DIR]

The concordance overview over signed reports with a confirmed verdict (drafts are not counted):
counts and rates of concordant, minor and major verdicts grouped by the study's modality, the
outside facility, or the month signed (--by, default modality); the rates by month; the matrix of
outside against second-opinion BI-RADS categories; and, for discordant cases, which reading the
recorded outcomes supported. --from and --to count only reports signed on those local dates or
between them (both included); --reader only those signed by that reader profile (concord readers).

--json prints {library, groupBy, all, groups, timeSeries, matrix, discordantOutcomes, cases}, where
all, each group and each month is {key, total, concordant, minor, major, concordantRate, minorRate,
majorRate} (rates 0 to 1), matrix is [{outside, secondOpinion, count}] ("-" for no category),
discordantOutcomes is {outside, second-opinion, both, neither} and cases lists every counted report:
{reportId, studyInstanceUid, patientName, patientId, studyDate, readerId, readerName, modalities,
facility, signedAt, verdict, outsideAssessment, secondOpinionAssessment, outcomeSupports}.
--csv prints one table: section,key,total,concordant,minor,major,concordant_rate,minor_rate,major_rate
with sections all, the grouping, month and matrix.
`;

export const BACKUP_HELP = `Usage: concord backup --to DIR [--library DIR] [--json]

Copies the library into the folder DIR, which becomes a library of its own (concord.sqlite and
store/), while the library may be in use: the app, the browser host or an import may go on. The
index is copied through SQLite's online backup, in one read, so the backup holds the library as it
was at that moment; then the store objects that index lists are copied (each through a temporary
name, an fsync and a rename), with the store's identity. An import running at that moment is
recorded in the backup as interrupted, holding what it had committed.

Incremental: backing up again into the same folder copies only the objects the backup lacks (same
name and size: already there) and removes those the library no longer lists. The new index takes
the old one's place only once all its objects are copied, so the folder always holds a whole
backup. DIR must be new, empty, or an earlier backup of this library, and outside the library.
Restore it with 'concord restore --from DIR'.

Exit status 0 when the backup is made; 1 when it is refused or fails (nothing of the library is
changed); 2 for a usage error.

--json prints one JSON object: {library, backup, libraryId, snapshotAt (ISO 8601, when the index
was copied), contents: {studies, instances, signedReports, newestSignature}, indexBytes, objects:
{listed, copied, alreadyPresent, bytesCopied, removed}, importsRunning, durationMs}; when refused:
{error: {code, message}, library, backup}, code one of no-library, backup-folder-in-use,
backup-incomplete.
`;

export const RESTORE_HELP = `Usage: concord restore --from DIR [--library DIR] [--force] [--json]

Puts the backup in DIR (a folder made by 'concord backup') back as the library: into a new or
empty folder, or over the same library, damaged or not (an index deleted, emptied or corrupted),
whose index is replaced by the backup's and whose store gets the objects it lacks. Then the library
is opened (an index from an older Concord is brought up to date) and verified.

Checked first, and refused with nothing changed:
  - DIR must be a Concord library: an index that passes SQLite's quick_check and carries the same
    identity as its store;
  - the target must be that same library (or a new or empty folder), with no import running in it;
  - the target must hold no signed report or addendum the backup lacks (one signed after the
    backup was made): the refusal lists what would be lost. --force restores anyway; so it does
    where the target's index cannot be read to tell.
Nothing is deleted: the replaced index (with its -wal and -shm, which must not stay beside the
restored index) and the store objects the backup does not list (images imported after it) are
moved into before-restore-<time>/ in the library folder; 'concord import' of its objects folder
takes those images in again. Stop the app and the browser host on this library before restoring.

Exit status 0 when restored and verify is clean; 1 when refused, failed or verify finds problems;
2 for a usage error.

--json prints one JSON object: {library, backup, libraryId, contents: {studies, instances,
signedReports, newestSignature}, objects: {listed, copied, alreadyPresent, bytesCopied},
signaturesLost: [{studyInstanceUid, kind: "report" | "addendum", signedBy, signedAt}], setAside:
{folder, index, objects} | null, verify (as 'concord verify --json'), durationMs}; when refused:
{error: {code, message}, library, backup}, code one of not-a-backup, backup-incomplete,
other-library, target-not-a-library, import-running, signed-reports-would-be-lost,
target-unreadable, backup-folder-in-use.
`;
