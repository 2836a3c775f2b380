// The reference for `grokvid status ID`: a bare Node script doing one fetch of the same URL with
// the same key, printing the body (and failing like grokvid would on an error answer).
const res = await fetch(process.argv[2], {
  headers: { authorization: `Bearer ${process.env.GROKVID_APIMART_API_KEY}` },
});
process.stdout.write(`${await res.text()}\n`);
if (!res.ok) process.exitCode = 1;
