; Inno Setup script for qcode on Windows: installs the PyInstaller bundle (dist\qcode, built by
; `py installer\build.py` on Windows), a Start-menu entry, and the .qcode file association.
;     iscc /DAppVersion=0.1.0 installer\windows\qcode.iss     (installer\build.py prints the version)
; The output is dist\qcode-<version>-setup.exe. It installs per user by default (no administrator rights).

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif

[Setup]
AppId={{6E0D7C0B-2F1E-4B7A-9C57-1C0DE0A11E55}
AppName=qcode
AppVersion={#AppVersion}
AppPublisher=The qcode developers
DefaultDirName={autopf}\qcode
DefaultGroupName=qcode
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
OutputDir=..\..\dist
OutputBaseFilename=qcode-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\qcode.ico
UninstallDisplayIcon={app}\qcode.exe
LicenseFile=..\..\LICENSE
Compression=lzma2
SolidCompression=yes
ChangesAssociations=yes
WizardStyle=modern

[Files]
Source: "..\..\dist\qcode\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\qcode"; Filename: "{app}\qcode.exe"
Name: "{group}\Uninstall qcode"; Filename: "{uninstallexe}"

[Registry]
; .qcode files open in qcode and show its icon
Root: HKA; Subkey: "Software\Classes\.qcode"; ValueType: string; ValueName: ""; ValueData: "qcode.project"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\qcode.project"; ValueType: string; ValueName: ""; ValueData: "qcode project"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\qcode.project\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\qcode.exe,0"
Root: HKA; Subkey: "Software\Classes\qcode.project\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\qcode.exe"" ""%1"""

[Run]
Filename: "{app}\qcode.exe"; Description: "Start qcode"; Flags: nowait postinstall skipifsilent
