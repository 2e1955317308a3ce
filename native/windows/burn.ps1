<#
.SYNOPSIS
  Attest evidence-disc burner for Windows, through IMAPI2 (Image Mastering API v2, built
  into Windows since Vista). Called by the Attest core (electron/core/platform/disc/burner.ts,
  Imapi2Burner) as

    powershell.exe -NoLogo -NoProfile -NonInteractive -ExecutionPolicy Bypass -File burn.ps1 -Action list
    ... -Action info  -Drive <unique id>
    ... -Action burn  -Drive <unique id> -Image <path to .iso>
    ... -Action eject -Drive <unique id>

.DESCRIPTION
  Every line written to standard output is one JSON object:
    {"type":"drive","id":...,"path":"E:","vendor":...,"product":...,"writer":true}
    {"type":"media","profile":"DVD-R","blank":true,"appendable":false,"freeSectors":2298496,"overallSectors":2298496}
    {"type":"progress","fraction":0.42,"action":"writing"}
    {"type":"done"}
    {"type":"error","message":"..."}            (and exit code 1)
  Nothing else is written to standard output.

  The image is written as it is (IDiscFormat2Data.Write of a stream over the .iso file) and
  the disc is closed (ForceMediaToBeClosed): an evidence disc takes no later session.
  Verification is done afterwards by the core, reading the files back through the drive
  letter (the Joliet tree, as any Windows reader sees it).

  NOT EXERCISED: this script was written without a Windows machine or a drive to run it on.
  Its command-line contract is tested with a stand-in; the IMAPI2 calls follow Microsoft's
  documentation (IDiscMaster2, IDiscRecorder2, IDiscFormat2Data, DDiscFormat2DataEvents).
  Progress events from IMAPI2 are delivered to PowerShell's event queue; if the engine
  does not run the handler while Write() blocks, the core shows the burn as running
  without a percentage until Write() returns.
#>
[CmdletBinding()]
param(
  [Parameter(Mandatory = $true)][ValidateSet('list', 'info', 'burn', 'eject')][string]$Action,
  [string]$Drive,
  [string]$Image,
  [string]$ClientName = 'Attest'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3
[Console]::OutputEncoding = New-Object System.Text.UTF8Encoding($false)

function Write-Json([hashtable]$Object) {
  [Console]::Out.WriteLine(($Object | ConvertTo-Json -Compress -Depth 4))
  [Console]::Out.Flush()
}

# IMAPI_MEDIA_PHYSICAL_TYPE (imapi2.h) -> profile names as people know them.
$PhysicalTypes = @{
  1 = 'CD-ROM'; 2 = 'CD-R'; 3 = 'CD-RW'; 4 = 'DVD-ROM'; 5 = 'DVD-RAM'; 6 = 'DVD+R'; 7 = 'DVD+RW';
  8 = 'DVD+R DL'; 9 = 'DVD-R'; 10 = 'DVD-RW'; 11 = 'DVD-R DL'; 13 = 'DVD+RW DL'; 17 = 'BD-ROM';
  18 = 'BD-R'; 19 = 'BD-RE'
}
# IMAPI_FORMAT2_DATA_MEDIA_STATE flags.
$MEDIA_BLANK = 0x2
$MEDIA_APPENDABLE = 0x4
# IMAPI_FORMAT2_DATA_WRITE_ACTION -> words for the progress line.
$WriteActions = @{
  0 = 'validating'; 1 = 'formatting'; 2 = 'initializing'; 3 = 'calibrating'; 4 = 'writing';
  5 = 'finalizing'; 6 = 'completed'; 7 = 'verifying'
}

# A read-only COM IStream over the image file (IDiscFormat2Data.Write takes an IStream).
if (-not ('Attest.StreamOnFile' -as [type])) {
  Add-Type -TypeDefinition @'
using System;
using System.Runtime.InteropServices;
using System.Runtime.InteropServices.ComTypes;
namespace Attest {
  public static class StreamOnFile {
    [DllImport("shlwapi.dll", CharSet = CharSet.Unicode, ExactSpelling = true, PreserveSig = false)]
    private static extern void SHCreateStreamOnFileEx(string pszFile, uint grfMode, uint dwAttributes,
      [MarshalAs(UnmanagedType.Bool)] bool fCreate, IStream pstmTemplate, out IStream ppstm);
    // STGM_READ | STGM_SHARE_DENY_WRITE
    public static IStream Open(string path) {
      IStream stream;
      SHCreateStreamOnFileEx(path, 0x00000000 | 0x00000020, 0, false, null, out stream);
      return stream;
    }
  }
}
'@
}

function Get-Master {
  $master = New-Object -ComObject IMAPI2.MsftDiscMaster2
  if (-not $master.IsSupportedEnvironment) { throw 'IMAPI2 finds no optical drive on this computer' }
  return $master
}

function Get-Recorder([string]$Id) {
  if (-not $Id) { throw '-Drive is required' }
  $master = Get-Master
  for ($i = 0; $i -lt $master.Count; $i++) {
    $uid = $master.Item($i)
    if ($uid -eq $Id) {
      $recorder = New-Object -ComObject IMAPI2.MsftDiscRecorder2
      $recorder.InitializeDiscRecorder($uid)
      return $recorder
    }
  }
  throw "no optical drive $Id"
}

function Get-DrivePath($Recorder) {
  $paths = @($Recorder.VolumePathNames)
  if ($paths.Count -gt 0 -and $paths[0]) { return ([string]$paths[0]).TrimEnd('\') }
  return [string]$Recorder.ActiveDiscRecorder
}

function Invoke-List {
  $master = New-Object -ComObject IMAPI2.MsftDiscMaster2
  if (-not $master.IsSupportedEnvironment) { return }
  for ($i = 0; $i -lt $master.Count; $i++) {
    $uid = $master.Item($i)
    $recorder = New-Object -ComObject IMAPI2.MsftDiscRecorder2
    $recorder.InitializeDiscRecorder($uid)
    $format = New-Object -ComObject IMAPI2.MsftDiscFormat2Data
    Write-Json @{
      type    = 'drive'
      id      = [string]$uid
      path    = (Get-DrivePath $recorder)
      vendor  = ([string]$recorder.VendorId).Trim()
      product = ([string]$recorder.ProductId).Trim()
      writer  = [bool]$format.IsRecorderSupported($recorder)
    }
  }
}

function Invoke-Info {
  $recorder = Get-Recorder $Drive
  $format = New-Object -ComObject IMAPI2.MsftDiscFormat2Data
  if (-not $format.IsRecorderSupported($recorder) -or -not $format.IsCurrentMediaSupported($recorder)) {
    Write-Json @{ type = 'media'; profile = $null; blank = $false; appendable = $false; freeSectors = $null; overallSectors = $null }
    return
  }
  $format.Recorder = $recorder
  $state = [int]$format.CurrentMediaStatus
  $type = [int]$format.CurrentPhysicalMediaType
  Write-Json @{
    type           = 'media'
    profile        = $(if ($PhysicalTypes.ContainsKey($type)) { $PhysicalTypes[$type] } else { "type $type" })
    blank          = ([bool]($state -band $MEDIA_BLANK) -or [bool]$format.MediaHeuristicallyBlank)
    appendable     = [bool]($state -band $MEDIA_APPENDABLE)
    freeSectors    = [long]$format.FreeSectorsOnMedia
    overallSectors = [long]$format.TotalSectorsOnMedia
  }
}

function Invoke-Burn {
  if (-not $Image -or -not (Test-Path -LiteralPath $Image -PathType Leaf)) { throw "no image file $Image" }
  $recorder = Get-Recorder $Drive
  $format = New-Object -ComObject IMAPI2.MsftDiscFormat2Data
  if (-not $format.IsRecorderSupported($recorder)) { throw 'this drive cannot write discs' }
  if (-not $format.IsCurrentMediaSupported($recorder)) { throw 'there is no writable disc in the drive' }
  $format.Recorder = $recorder
  $format.ClientName = $ClientName
  $format.ForceMediaToBeClosed = $true
  if (-not $format.MediaHeuristicallyBlank) { throw 'the disc in the drive is not blank; an evidence disc is written once, on a blank disc' }
  $blocks = [math]::Ceiling((Get-Item -LiteralPath $Image).Length / 2048)
  if ([long]$format.FreeSectorsOnMedia -lt $blocks) {
    throw "the image needs $blocks blocks, the disc has $($format.FreeSectorsOnMedia)"
  }
  $stream = [Attest.StreamOnFile]::Open((Resolve-Path -LiteralPath $Image).ProviderPath)

  # The handler runs in the event job's own scope: the action names come in as MessageData.
  $subscription = Register-ObjectEvent -InputObject $format -EventName Update -SourceIdentifier 'AttestBurnUpdate' -MessageData $WriteActions -Action {
    try {
      $progressArgs = $Event.SourceArgs[1]
      $action = [int]$progressArgs.CurrentAction
      $fraction = $null
      if ($action -eq 4 -and $progressArgs.SectorCount -gt 0) {
        $fraction = [math]::Round(($progressArgs.LastWrittenLba - $progressArgs.StartLba) / $progressArgs.SectorCount, 4)
      }
      $line = @{ type = 'progress'; fraction = $fraction; action = $Event.MessageData[$action] } | ConvertTo-Json -Compress
      [Console]::Out.WriteLine($line)
      [Console]::Out.Flush()
    } catch { }
  }
  try {
    try { $recorder.DisableMcn() } catch { }   # no autoplay or explorer poking the disc while writing
    Write-Json @{ type = 'progress'; fraction = $null; action = 'writing' }
    $format.Write($stream)
    Write-Json @{ type = 'progress'; fraction = 1; action = 'completed' }
  } finally {
    Unregister-Event -SourceIdentifier 'AttestBurnUpdate' -ErrorAction SilentlyContinue
    if ($subscription) { Remove-Job -Job $subscription -Force -ErrorAction SilentlyContinue }
    try { $recorder.EnableMcn() } catch { }
    [void][System.Runtime.InteropServices.Marshal]::ReleaseComObject($stream)
  }
}

function Invoke-Eject {
  $recorder = Get-Recorder $Drive
  $recorder.EjectMedia()
}

try {
  switch ($Action) {
    'list' { Invoke-List }
    'info' { Invoke-Info }
    'burn' { Invoke-Burn }
    'eject' { Invoke-Eject }
  }
  Write-Json @{ type = 'done' }
  exit 0
} catch {
  Write-Json @{ type = 'error'; message = [string]$_.Exception.Message }
  exit 1
}
