// The reference for `influxsh service`: Service A rebuilt the way the original runs it (see
// ../shared/reference/loadgen-anchors.md §1), on the same libraries and major versions: Express
// 4.14 with body-parser's JSON middleware, a counter middleware mounted before the routes that
// takes the latency when the headers go out (on-headers), and node-influx 5.0 writing one point
// per request, fire and forget, with no timestamp and num_requests as a float (the original's
// schema never reaches node-influx). PORT and INFLUX (the server URL; the database is `original`)
// come from the environment.
const os = require('node:os');
const express = require('express');
const bodyParser = require('body-parser');
const onHeaders = require('on-headers');
const Influx = require('influx');

const influx = new Influx.InfluxDB(`${process.env.INFLUX}/original`);
const host = os.hostname();

const app = express();
app.use(bodyParser.json());
app.use((req, res, next) => {
  const url = req.originalUrl;
  const startAt = process.hrtime();
  onHeaders(res, () => {
    const d = process.hrtime(startAt);
    influx.writePoints([{ measurement: 'serviceA', tags: { host, url }, fields: { latency: d[0] * 1e3 + d[1] * 1e-6, num_requests: 1 } }]).catch((e) => console.error(e.message));
  });
  next();
});
const api = express.Router();
api.get('/hello', (req, res) => res.json({ hello: 'world!' }));
api.get('/world', (req, res) => res.json({ world: 'Hello!' }));
app.use('/api', api);
app.listen(Number(process.env.PORT), '127.0.0.1');
