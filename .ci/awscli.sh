#!/usr/bin/env bash
# The control's own commands, exactly as cis-control.md prints them, run with the AWS CLI (installed from
# PyPI into a venv) against the emulator; then the values are read back and checked. A second venv pins
# botocore 1.40.61 (the version Prowler pins), which speaks the AWS Query protocol to CloudWatch.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${ORGWATCH_BIN:-target/debug/orgwatch}
PORT=${ORGWATCH_CLI_PORT:-4599}
WORK=$(mktemp -d)
trap 'kill "$EMU" 2>/dev/null || true; rm -rf "$WORK"' EXIT

python3 -m venv "$WORK/awscli"
"$WORK/awscli/bin/pip" install -q --disable-pip-version-check awscli boto3
python3 -m venv "$WORK/legacy"
"$WORK/legacy/bin/pip" install -q --disable-pip-version-check "botocore==1.40.61" "boto3==1.40.61"

"$BIN" emulator --port "$PORT" > "$WORK/emulator.log" 2>&1 &
EMU=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/_orgwatch/health" > /dev/null && break; sleep 0.1; done

export AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=orgwatch AWS_DEFAULT_REGION=us-east-1
export AWS_ENDPOINT_URL="http://127.0.0.1:$PORT"
aws() { "$WORK/awscli/bin/aws" "$@"; }
check() { "$WORK/awscli/bin/python" -c "import json,sys; d=json.load(sys.stdin); $1" ; }
# refused CODE ARGS...: the command fails with AWS's error CODE.
refused() { local code=$1; shift; if out=$(aws "$@" 2>&1); then echo "accepted: aws $*" >&2; return 1; fi; grep -q "$code" <<< "$out" || { echo "$out" >&2; return 1; }; }

PATTERN='{ ($.eventSource = organizations.amazonaws.com) &&(($.eventName = "AcceptHandshake") || ($.eventName = "AttachPolicy") ||($.eventName = "CreateAccount") || ($.eventName = "CreateOrganizationalUnit")|| ($.eventName = "CreatePolicy") || ($.eventName = "DeclineHandshake") ||($.eventName = "DeleteOrganization") || ($.eventName = "DeleteOrganizationalUnit") || ($.eventName = "DeletePolicy") || ($.eventName = "DetachPolicy") || ($.eventName = "DisablePolicyType") || ($.eventName = "EnablePolicyType") || ($.eventName = "InviteAccountToOrganization") || ($.eventName = "LeaveOrganization") || ($.eventName = "MoveAccount") || ($.eventName = "RemoveAccountFromOrganization") || ($.eventName = "UpdatePolicy") || ($.eventName = "UpdateOrganizationalUnit")) }'

# What CloudTrail requires first: the bucket with its policy, the delivery role (S3 REST-XML, IAM Query).
refused S3BucketDoesNotExistException cloudtrail create-trail --name org-trail --s3-bucket-name trail-bucket
aws s3api create-bucket --bucket trail-bucket > /dev/null
aws s3api put-bucket-policy --bucket trail-bucket --policy '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:GetBucketAcl","Resource":"arn:aws:s3:::trail-bucket"},{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::trail-bucket/AWSLogs/123456789012/*","Condition":{"StringEquals":{"s3:x-amz-acl":"bucket-owner-full-control"}}}]}'
aws s3api get-bucket-policy --bucket trail-bucket | check 'import json as j; assert j.loads(d["Policy"])["Statement"][0]["Action"] == "s3:GetBucketAcl", d'
refused NoSuchTagSet s3api get-bucket-tagging --bucket trail-bucket
echo '{"k": 1}' > "$WORK/object.json"
aws s3 cp "$WORK/object.json" s3://trail-bucket/AWSLogs/123456789012/object.json > /dev/null
aws s3api list-objects-v2 --bucket trail-bucket | check 'assert [o["Key"] for o in d["Contents"]] == ["AWSLogs/123456789012/object.json"], d'
aws iam create-role --role-name CloudTrail_CloudWatchLogs_Role --assume-role-policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"sts:AssumeRole"}]}' > /dev/null
aws iam put-role-policy --role-name CloudTrail_CloudWatchLogs_Role --policy-name deliver --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"}]}'
aws iam get-role --role-name CloudTrail_CloudWatchLogs_Role | check 'assert d["Role"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["Service"] == "cloudtrail.amazonaws.com", d'
aws kms create-key --description trail | check 'assert d["KeyMetadata"]["KeyState"] == "Enabled", d'
aws kms describe-key --key-id alias/aws/sns | check 'assert d["KeyMetadata"]["KeyManager"] == "AWS", d'
aws ec2 describe-regions | check 'assert len(d["Regions"]) == 17, d'

aws logs create-log-group --log-group-name cloudtrail-logs
aws cloudtrail create-trail --name org-trail --s3-bucket-name trail-bucket --is-multi-region-trail \
  --cloud-watch-logs-log-group-arn "arn:aws:logs:us-east-1:123456789012:log-group:cloudtrail-logs:*" \
  --cloud-watch-logs-role-arn arn:aws:iam::123456789012:role/CloudTrail_CloudWatchLogs_Role > /dev/null
aws cloudtrail start-logging --name org-trail

# The control's commands, as printed.
aws cloudtrail describe-trails | check 'assert d["trailList"][0]["IsMultiRegionTrail"] is True; assert d["trailList"][0]["CloudWatchLogsLogGroupArn"].endswith("cloudtrail-logs:*")'
aws logs put-metric-filter --log-group-name cloudtrail-logs --filter-name organizations_changes \
  --metric-transformations metricName=organizations_changes,metricNamespace='CISBenchmark',metricValue=1 \
  --filter-pattern "$PATTERN"
TOPIC=$(aws sns create-topic --name cis-alarms | check 'print(d["TopicArn"])')
aws sns subscribe --topic-arn "$TOPIC" --protocol email --notification-endpoint security@example.com | check 'assert d["SubscriptionArn"] == "pending confirmation", d'
aws cloudwatch put-metric-alarm --alarm-name organizations_changes --metric-name organizations_changes \
  --statistic Sum --period 300 --threshold 1 --comparison-operator GreaterThanOrEqualToThreshold \
  --evaluation-periods 1 --namespace 'CISBenchmark' --alarm-actions "$TOPIC"

# Read everything back.
aws logs describe-metric-filters --log-group-name cloudtrail-logs | PATTERN="$PATTERN" check '
import os
f = d["metricFilters"][0]
assert f["filterName"] == "organizations_changes"
assert f["filterPattern"] == os.environ["PATTERN"]
t = f["metricTransformations"][0]
assert (t["metricName"], t["metricNamespace"], t["metricValue"]) == ("organizations_changes", "CISBenchmark", "1"), t'
aws cloudwatch describe-alarms --alarm-names organizations_changes | TOPIC="$TOPIC" check '
import os
a = d["MetricAlarms"][0]
assert a["StateValue"] == "INSUFFICIENT_DATA" and a["StateReason"] == "Unchecked: Initial alarm creation", a
assert (a["Statistic"], a["Period"], a["Threshold"], a["EvaluationPeriods"]) == ("Sum", 300, 1.0, 1), a
assert a["ComparisonOperator"] == "GreaterThanOrEqualToThreshold" and a["AlarmActions"] == [os.environ["TOPIC"]], a'
aws sns list-subscriptions-by-topic --topic-arn "$TOPIC" | check 'assert d["Subscriptions"][0]["SubscriptionArn"] == "PendingConfirmation", d'
aws sns list-topics | TOPIC="$TOPIC" check 'import os; assert d["Topics"] == [{"TopicArn": os.environ["TOPIC"]}]'
aws logs test-metric-filter --filter-pattern "$PATTERN" --log-event-messages \
  '{"eventSource":"organizations.amazonaws.com","eventName":"CreateAccount"}' '{"eventSource":"ec2.amazonaws.com","eventName":"RunInstances"}' \
  | check 'assert [m["eventNumber"] for m in d["matches"]] == [1], d'
aws sts get-caller-identity | check 'assert d["Account"] == "123456789012"'
aws cloudtrail get-trail-status --name org-trail | check 'assert d["IsLogging"] is True'
aws cloudtrail get-event-selectors --trail-name org-trail | check 'assert d["EventSelectors"][0]["ReadWriteType"] == "All"'
# Numeric-looking strings stay strings (Query leaves are typed by the operation, not the member's name).
aws sns tag-resource --resource-arn "$TOPIC" --tags Key=cost,Value=1234 Key=flag,Value=true
aws sns list-tags-for-resource --resource-arn "$TOPIC" | check 'assert sorted((t["Key"], t["Value"]) for t in d["Tags"]) == [("cost", "1234"), ("flag", "true")], d'
aws sns set-topic-attributes --topic-arn "$TOPIC" --attribute-name DisplayName --attribute-value 42
aws sns get-topic-attributes --topic-arn "$TOPIC" | check 'assert d["Attributes"]["DisplayName"] == "42", d'
if aws cloudwatch set-alarm-state --alarm-name missing --state-value OK --state-reason x 2> "$WORK/err"; then exit 1; fi
grep -q ResourceNotFound "$WORK/err"

# AWS Query for CloudWatch, through botocore 1.40.61.
"$WORK/legacy/bin/python" - "$TOPIC" <<'PY'
import sys, boto3, botocore
topic = sys.argv[1]
cw = boto3.client("cloudwatch")
assert cw.meta.service_model.protocol == "query", cw.meta.service_model.protocol
cw.put_metric_alarm(AlarmName="legacy", MetricName="m", Namespace="CISBenchmark", Statistic="Sum", Period=300,
                    Threshold=1.0, ComparisonOperator="GreaterThanOrEqualToThreshold", EvaluationPeriods=1,
                    AlarmActions=[topic], Dimensions=[{"Name": "Env", "Value": "prod"}])
alarms = {a["AlarmName"]: a for a in cw.describe_alarms()["MetricAlarms"]}
assert set(alarms) == {"legacy", "organizations_changes"}, alarms.keys()
a = alarms["legacy"]
assert a["Dimensions"] == [{"Name": "Env", "Value": "prod"}] and a["Threshold"] == 1.0 and a["ActionsEnabled"] is True, a
assert a["StateUpdatedTimestamp"].year >= 2024
cw.put_metric_alarm(AlarmName="numeric-dimension", MetricName="m", Namespace="CISBenchmark", Statistic="Sum",
                    Period=60, Threshold=0.5, ComparisonOperator="GreaterThanThreshold", EvaluationPeriods=2,
                    DatapointsToAlarm=1, ActionsEnabled=False, OKActions=[],
                    Dimensions=[{"Name": "Shard", "Value": "42"}, {"Name": "Enabled", "Value": "true"}])
n = cw.describe_alarms(AlarmNames=["numeric-dimension"])["MetricAlarms"][0]
assert n["Dimensions"] == [{"Name": "Shard", "Value": "42"}, {"Name": "Enabled", "Value": "true"}], n
assert (n["Period"], n["Threshold"], n["EvaluationPeriods"], n["DatapointsToAlarm"]) == (60, 0.5, 2, 1), n
assert n["ActionsEnabled"] is False and n["OKActions"] == [], n
cw.delete_alarms(AlarmNames=["numeric-dimension"])
try:
    cw.set_alarm_state(AlarmName="missing", StateValue="OK", StateReason="x")
    raise SystemExit("expected ResourceNotFound")
except botocore.exceptions.ClientError as e:
    assert e.response["Error"]["Code"] == "ResourceNotFound", e.response
sns = boto3.client("sns")
assert sns.get_topic_attributes(TopicArn=topic)["Attributes"]["SubscriptionsPending"] == "1"
print("botocore", botocore.__version__, "Query protocol: ok")
PY
# SQS (JSON 1.0) with the AWS CLI: a queue whose policy lets the topic send, subscribed to it (README: "Assert
# notifications by reading a queue", the same commands). AWS CLI v1 sends SQS calls in us-east-1 to its legacy
# endpoint queue.amazonaws.com unless --endpoint-url is given on the command line (AWS_ENDPOINT_URL is not enough).
sqs() { aws sqs --endpoint-url "$AWS_ENDPOINT_URL" "$@"; }
URL=$(sqs create-queue --queue-name security --query QueueUrl --output text)
test "$URL" = "https://sqs.us-east-1.amazonaws.com/123456789012/security"
ARN=$(sqs get-queue-attributes --queue-url "$URL" --attribute-names QueueArn --query Attributes.QueueArn --output text)
cat > "$WORK/policy.json" <<EOF
{"Policy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"sns.amazonaws.com\"},\"Action\":\"sqs:SendMessage\",\"Resource\":\"$ARN\",\"Condition\":{\"ArnEquals\":{\"aws:SourceArn\":\"$TOPIC\"}}}]}"}
EOF
sqs set-queue-attributes --queue-url "$URL" --attributes "file://$WORK/policy.json"
sqs get-queue-attributes --queue-url "$URL" --attribute-names All | check 'a = d["Attributes"]; assert a["VisibilityTimeout"] == "30" and "sns.amazonaws.com" in a["Policy"], a'
refused AWS.SimpleQueueService.NonExistentQueue sqs --endpoint-url "$AWS_ENDPOINT_URL" get-queue-url --queue-name missing
sqs send-message --queue-url "$URL" --message-body "hello world" | check 'assert d["MD5OfMessageBody"] == "5eb63bbbe01eeed093cb22bb8f5acdc3", d'
sqs receive-message --queue-url "$URL" | check 'm = d["Messages"][0]; assert m["Body"] == "hello world", d; print(m["ReceiptHandle"])' > "$WORK/handle"
sqs delete-message --queue-url "$URL" --receipt-handle "$(cat "$WORK/handle")"
"$WORK/legacy/bin/python" - "$URL" <<'PY'
import sys, boto3, botocore
url = sys.argv[1]
sqs = boto3.client("sqs")
sqs.send_message(QueueUrl=url, MessageBody="from boto3", MessageAttributes={"n": {"DataType": "Number", "StringValue": "42"}})
m = sqs.receive_message(QueueUrl=url, MessageAttributeNames=["All"])["Messages"][0]
assert m["Body"] == "from boto3" and m["MessageAttributes"]["n"]["StringValue"] == "42", m
sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
try:
    sqs.get_queue_url(QueueName="missing")
    raise SystemExit("expected QueueDoesNotExist")
except sqs.exceptions.QueueDoesNotExist as e:
    assert e.response["Error"]["Code"] == "AWS.SimpleQueueService.NonExistentQueue", e.response
print("botocore", botocore.__version__, "SQS: ok")
PY

# The live pipeline, read back with the AWS CLI: the SQS subscriber, one CloudTrail record, five virtual minutes;
# then the notification read from the queue, and the fire drill against the same running emulator.
admin() { curl -sf -X POST -H 'content-type: application/json' "http://127.0.0.1:$PORT/_orgwatch/$1" -d "$2"; }
aws sns subscribe --topic-arn "$TOPIC" --protocol sqs --notification-endpoint "$ARN" > /dev/null
admin clock '{"iso": "2027-01-15T08:00:00Z"}' > /dev/null
admin cloudtrail/events '{"Records": [{"eventVersion": "1.11", "eventSource": "organizations.amazonaws.com", "eventName": "CreateAccount", "awsRegion": "us-east-1", "recipientAccountId": "123456789012", "readOnly": false, "eventCategory": "Management"}]}' \
  | check 'assert d["deliveries"][0]["logStream"] == "123456789012_CloudTrail_us-east-1", d'
admin clock/advance '{"seconds": 360}' > /dev/null
aws cloudwatch describe-alarms --alarm-names organizations_changes | check '
a = d["MetricAlarms"][0]
assert a["StateValue"] == "ALARM", a
assert a["StateReason"].startswith("Threshold Crossed: 1 datapoint [1.0 (15/01/27 08:00:00)]"), a'
aws cloudwatch describe-alarm-history --alarm-name organizations_changes --history-item-type Action \
  | check 'assert any(i["HistorySummary"].startswith("Successfully executed action") for i in d["AlarmHistoryItems"]), d'
aws logs get-log-events --log-group-name cloudtrail-logs --log-stream-name 123456789012_CloudTrail_us-east-1 \
  | check 'assert "\"eventName\":\"CreateAccount\"" in d["events"][0]["message"], d'
curl -sf "http://127.0.0.1:$PORT/_orgwatch/sns/outbox?topic=$TOPIC" \
  | check 'm = [x for x in d["messages"] if x["kind"] == "Notification"]; assert m and m[0]["protocol"] == "sqs" and m[0]["subject"].startswith("ALARM: ") and "failure" not in m[0], d'
sqs receive-message --queue-url "$URL" --wait-time-seconds 5 | check '
import json
e = json.loads(d["Messages"][0]["Body"])
assert e["Type"] == "Notification" and e["Subject"].startswith("ALARM: "), e
a = json.loads(e["Message"])
assert a["AlarmName"] == "organizations_changes" and a["NewStateValue"] == "ALARM", a'
"$BIN" drill --endpoint-url "http://127.0.0.1:$PORT" > "$WORK/drill.txt" || { cat "$WORK/drill.txt"; exit 1; }
tail -1 "$WORK/drill.txt"
if "$BIN" drill --endpoint-url "http://127.0.0.1:9" 2> "$WORK/err"; then exit 1; fi
grep -q "not an orgwatch emulator" "$WORK/err"

# A link that stops the notification silently, made and read back with the AWS CLI: the topic encrypted with the
# AWS managed key. The alarm still goes to ALARM, its history says the action failed, and the check fails.
aws sns set-topic-attributes --topic-arn "$TOPIC" --attribute-name KmsMasterKeyId --attribute-value alias/aws/sns
aws cloudwatch set-alarm-state --alarm-name organizations_changes --state-value OK --state-reason reset
aws cloudwatch set-alarm-state --alarm-name organizations_changes --state-value ALARM --state-reason drill
aws cloudwatch describe-alarm-history --alarm-name organizations_changes --history-item-type Action \
  | check 'i = d["AlarmHistoryItems"][0]; assert i["HistorySummary"].startswith("Failed to execute action arn:aws:sns:"), i; assert "AWSKMS" in i["HistorySummary"], i'
if "$BIN" check --endpoint-url "http://127.0.0.1:$PORT" --format json > "$WORK/kms.json"; then exit 1; fi
check 'assert d["status"] == "FAIL" and any(f["reason"] == "topic-key-denies-cloudwatch" for f in d["findings"]), d["findings"]' < "$WORK/kms.json"

# Every served Logs, CloudWatch, SNS and SQS operation, its answer checked against botocore's output shape, with
# the current botocore (CloudWatch over CBOR) and botocore 1.40.61 (CloudWatch over Query); each on a reset emulator.
for venv in awscli legacy; do
  curl -sf -X POST "http://127.0.0.1:$PORT/_orgwatch/reset" > /dev/null
  "$WORK/$venv/bin/python" .ci/parity.py
done

echo "AWS CLI against the emulator: ok"
